"""MCP over stdio, where a client that closes its side early still gets every answer.

A one-shot client (``printf '...' | budget-tui mcp``) writes its requests and closes stdin at once.
The SDK's loop ends at that EOF and cancels the requests still running, so the answer to the
call the client came for was lost. Here the server sees the end of its input only once every
request it was given has been answered (or :data:`DRAIN_SECONDS` have passed): the reply goes out
first, then the server stops.
"""

from __future__ import annotations

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp_types import JSONRPCError, JSONRPCRequest, JSONRPCResponse

# How long requests still running at EOF may take to answer before the server gives up on them.
DRAIN_SECONDS = 300.0
_POLL_SECONDS = 0.01


async def serve_stdio(server: MCPServer, *, drain_seconds: float = DRAIN_SECONDS) -> None:
    """Serve ``server`` on this process's stdin/stdout until the client's input ends and every
    request read has been answered."""
    # The low-level server is what MCPServer.run_stdio_async itself runs on the stdio streams;
    # here it runs on streams that see the client's EOF only once its requests are answered.
    lowlevel = server._lowlevel_server
    waiting: set[str | int] = set()
    to_server: tuple[
        MemoryObjectSendStream[SessionMessage | Exception],
        MemoryObjectReceiveStream[SessionMessage | Exception],
    ] = anyio.create_memory_object_stream(0)
    from_server: tuple[
        MemoryObjectSendStream[SessionMessage], MemoryObjectReceiveStream[SessionMessage]
    ] = anyio.create_memory_object_stream(0)

    async with stdio_server() as (read_stream, write_stream):

        async def read_input() -> None:
            async with to_server[0] as forward:
                async for item in read_stream:
                    if isinstance(item, SessionMessage) and isinstance(
                        item.message, JSONRPCRequest
                    ):
                        waiting.add(item.message.id)
                    await forward.send(item)
                # The client's input ended: hold the server's input open until it has answered.
                with anyio.move_on_after(drain_seconds):
                    while waiting:
                        await anyio.sleep(_POLL_SECONDS)

        async def write_output() -> None:
            async with from_server[1] as replies, write_stream:
                async for reply in replies:
                    await write_stream.send(reply)
                    if isinstance(reply.message, JSONRPCResponse | JSONRPCError):
                        waiting.discard(reply.message.id)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(read_input)
            tasks.start_soon(write_output)
            async with from_server[0]:
                await lowlevel.run(
                    to_server[1], from_server[0], lowlevel.create_initialization_options()
                )
