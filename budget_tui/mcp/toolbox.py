"""How the tools are made: from typed functions, and strict about the arguments they take.

The SDK builds each tool's argument model in pydantic's lax mode, which reads ``true`` as 1 for
a number, and drops argument names it doesn't know, so ``search_expenses(from=..., to=...)``
would answer for all time and ``update_expense(new_amount=...)`` would save nothing yet succeed.
A :class:`StrictTool` refuses both before the tool runs, and says so in its input schema
(``additionalProperties: false``), because not every client checks the schema.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations
from pydantic import ValidationError

from budget_tui.mcp.logs import call_line, log_call

F = TypeVar("F", bound=Callable[..., Any])

_NUMBERS = frozenset({"integer", "number"})
_SHOWN_NAMES = 5  # unknown names quoted in a refusal, each cut to _NAME_CUT characters
_NAME_CUT = 40


class StrictTool(Tool):
    """A tool that refuses unknown argument names and booleans given for numbers, and words a
    wrong type as ``field: what pydantic says``."""

    @classmethod
    def from_function(cls, fn: Callable[..., Any], **kwargs: Any) -> StrictTool:  # type: ignore[override]
        tool = super().from_function(fn, **kwargs)
        tool.parameters["additionalProperties"] = False
        for schema in tool.parameters.get("properties", {}).values():
            _hoist_description(schema)
        return tool  # type: ignore[return-value]

    async def run(
        self, arguments: dict[str, Any], context: Any, convert_result: bool = False
    ) -> Any:
        problem = argument_problem(self.name, self.parameters, arguments)
        if problem is None:
            try:
                self.fn_metadata.validate_arguments(arguments)
            except ValidationError as error:
                problem = "; ".join(_sentences(error))
        if problem is not None:
            await log_call(
                context, "warning", call_line(self.name, arguments, f"refused: {problem}")
            )
            raise ToolError(f"Error executing tool {self.name}: {problem}")
        started = time.monotonic()
        try:
            result = await super().run(arguments, context, convert_result=convert_result)
        except UnexpectedToolError:
            # Its cause is logged by the SDK on the server's side; the client reads no more.
            await log_call(context, "error", call_line(self.name, arguments, "failed"))
            raise
        except ToolError as error:
            await log_call(context, "warning", call_line(self.name, arguments, _refusal(error)))
            raise
        elapsed = round((time.monotonic() - started) * 1000)
        await log_call(
            context, "info", call_line(self.name, arguments, f"answered in {elapsed} ms")
        )
        return result


def _refusal(error: ToolError) -> str:
    text = str(error)
    return "refused: " + text.split(": ", 1)[1] if text.startswith("Error executing tool") else text


def argument_problem(tool: str, schema: dict[str, Any], arguments: dict[str, Any]) -> str | None:
    """What is wrong with ``arguments`` before their values are read, or None: names the
    schema doesn't list, or a boolean for a parameter that takes a number."""
    properties: dict[str, Any] = schema.get("properties", {})
    unknown = [name for name in arguments if name not in properties]
    if unknown:
        required = set(schema.get("required", ()))
        accepted = ", ".join(f"{n} (required)" if n in required else n for n in properties)
        return (
            f"Unknown argument{'s' if len(unknown) > 1 else ''} {_quoted(unknown)}; "
            f"{tool} takes: {accepted or 'no arguments'}."
        )
    for name, value in arguments.items():
        if isinstance(value, bool) and _takes_a_number(properties[name]):
            return f"{name}: Give a number here, not {json.dumps(value)}."
    return None


def _hoist_description(schema: dict[str, Any]) -> None:
    """Lift a description found only inside ``anyOf`` (``Name | None``) to the parameter
    itself, where clients show it."""
    if "description" in schema:
        return
    for branch in schema.get("anyOf", ()):
        if "description" in branch:
            schema["description"] = branch.pop("description")
            return


def _takes_a_number(schema: dict[str, Any]) -> bool:
    types = set(_types(schema))
    return bool(types & _NUMBERS) and "boolean" not in types


def _types(schema: dict[str, Any]) -> Iterable[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        yield kind
    elif isinstance(kind, list):
        yield from kind
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, ()):
            yield from _types(branch)


def _quoted(names: list[str]) -> str:
    shown = [repr(n if len(n) <= _NAME_CUT else n[:_NAME_CUT] + "...") for n in names]
    more = len(shown) - _SHOWN_NAMES
    return ", ".join(shown[:_SHOWN_NAMES]) + (f" and {more} more" if more > 0 else "")


def _sentences(error: ValidationError) -> Iterable[str]:
    # The field and pydantic's sentence only: not the value given (it may be long, or the
    # caller's data) nor the link to pydantic's documentation.
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"])
        yield f"{field}: {item['msg']}" if field else item["msg"]


def reads() -> ToolAnnotations:
    """A tool that only reads the book."""
    return ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )


def writes(*, destructive: bool, idempotent: bool) -> ToolAnnotations:
    """A tool that changes the book: ``destructive`` when it changes or removes what is there
    (not only adds), ``idempotent`` when repeating a call with the same arguments changes
    nothing more."""
    return ToolAnnotations(
        read_only_hint=False,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
        open_world_hint=False,
    )


class ToolBox:
    """Collects tools, as ``@server.tool`` would, to hand to ``MCPServer(tools=...)``. Every
    tool has a title and all four annotation hints (none is left to a client's default)."""

    def __init__(self, *, propose: type | None = None, note: str = "") -> None:
        """With ``propose``, every tool answers that type instead of its own (its output
        schema says so) and its description ends with ``note``."""
        self.tools: list[Tool] = []
        self.propose = propose
        self.note = note

    def tool(self, *, title: str, annotations: ToolAnnotations) -> Callable[[F], F]:
        def add(fn: F) -> F:
            extra: dict[str, Any] = {}
            if self.propose is not None:
                # The same dict as the undecorated function's (functools.wraps shares it), which
                # is where the SDK reads the return type from; each ToolBox has fresh functions.
                fn.__annotations__["return"] = self.propose
                extra["description"] = inspect.cleandoc(fn.__doc__ or "") + self.note
            self.tools.append(
                StrictTool.from_function(fn, title=title, annotations=annotations, **extra)
            )
            return fn

        return add
