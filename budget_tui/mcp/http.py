"""The MCP server over Streamable HTTP: the SDK's app behind a bearer token and a Host/Origin
allowlist.

Every HTTP request must carry ``Authorization: Bearer <token>`` (:mod:`budget_tui.mcp.token`);
one without it, or with another token, is answered 401 before the MCP app sees it, so it opens no
session and reads nothing. That holds on loopback too: other users and any local program can
reach a loopback port. The SDK's DNS-rebinding guard then refuses a ``Host`` header outside the
allowlist (421) and a browser ``Origin`` outside it (403): the loopback names, plus the address
the server was started on and any ``--allow-host`` names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from budget_tui.mcp.token import matches

PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def security_settings(host: str, port: int, extra: Iterable[str] = ()) -> TransportSecuritySettings:
    """The Host and Origin values a request may carry: loopback names on ``port``, plus ``host``
    (when it is a real address, not 0.0.0.0 or ::) and ``extra`` names."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("0.0.0.0", "::", ""):
        names.add(_bracketed(host))
    names.update(_bracketed(n.strip()) for n in extra if n.strip())
    hosts = sorted(f"{n}:{port}" for n in names)
    origins = sorted(f"{scheme}://{h}" for h in hosts for scheme in ("http", "https"))
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


class RequireToken:
    """ASGI middleware: an HTTP request without the bearer token gets 401 and goes no further."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or ())
            raw = headers.get(b"authorization")
            if not matches(self.token, raw.decode("latin-1") if raw else None):
                await _unauthorized(send)
                return
        await self.app(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = json.dumps(
        {
            "error": "unauthorized",
            "error_description": "Send the token from `budget-tui mcp token` as "
            "'Authorization: Bearer <token>'.",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Bearer realm="budget-tui"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def http_app(
    server: MCPServer, *, token: str, host: str, port: int, allowed_hosts: Iterable[str] = ()
) -> ASGIApp:
    """The ASGI app serving ``server`` at ``/mcp``, behind the token and the allowlist."""
    app = server.streamable_http_app(
        streamable_http_path=PATH,
        transport_security=security_settings(host, port, allowed_hosts),
        host=host,
    )
    return RequireToken(app, token)


def serve(
    server: MCPServer, *, token: str, host: str, port: int, allowed_hosts: Iterable[str] = ()
) -> None:
    """Serve until interrupted (uvicorn; its access log goes to stderr and never shows headers)."""
    import uvicorn

    config = uvicorn.Config(
        http_app(server, token=token, host=host, port=port, allowed_hosts=allowed_hosts),
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
    )
    uvicorn.Server(config).run()
