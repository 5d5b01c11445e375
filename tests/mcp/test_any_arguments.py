"""Any argument set a tool's input schema accepts gets an answer or a tool error: never a
traceback, an internal error or a protocol error. Arguments are drawn from each schema itself
(hypothesis-jsonschema does not work with the Hypothesis we pin, so :func:`from_schema` covers the
keywords our schemas use), with the write tools on, so a parameter added later is covered too.
Both backends, a modest number of examples each."""

from __future__ import annotations

from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mcp.conftest import Seeded, connect

EXAMPLES = 60
_STRING_KEYS = ("pattern", "format", "maxLength", "minLength")


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the JSON Schema ``schema`` accepts: objects (each optional property present or
    not), anyOf, enum, strings (pattern, maxLength; format date drawn as dates and as any
    text, format being an annotation only), integers and numbers within minimum/maximum,
    booleans and null. Raises for a keyword it doesn't know, so a new one isn't skipped."""
    known = {"description", "default", "title", "additionalProperties", "required"}
    if "properties" in schema:
        required = set(schema.get("required", ()))
        fields = {
            name: (from_schema(sub), name in required) for name, sub in schema["properties"].items()
        }

        @st.composite
        def objects(draw: Any) -> dict[str, Any]:
            return {
                name: draw(values)
                for name, (values, needed) in fields.items()
                if needed or draw(st.booleans())
            }

        return objects()
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        inherited = {k: schema[k] for k in _STRING_KEYS if k in schema}
        return st.one_of([from_schema({**inherited, **branch}) for branch in schema["anyOf"]])
    unknown = set(schema) - known - set(_STRING_KEYS) - {"type", "minimum", "maximum"}
    assert not unknown, f"from_schema doesn't know {unknown}"
    kind = schema.get("type")
    if kind == "string":
        longest = schema.get("maxLength", 300)
        if "pattern" in schema:
            text = st.from_regex(schema["pattern"], fullmatch=True)
        elif schema.get("format") == "date":
            text = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=40))
        else:
            text = st.text(max_size=longest)
        return text.filter(lambda t: schema.get("minLength", 0) <= len(t) <= longest)
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if kind == "number":
        return st.floats(
            min_value=schema.get("minimum"),
            max_value=schema.get("maximum"),
            allow_nan=False,
            allow_infinity=False,
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise AssertionError(f"from_schema doesn't know the type {kind!r}")


async def _schemas(url: str) -> dict[str, dict[str, Any]]:
    async with connect(url, allow_write=True) as client:
        return {t.name: t.input_schema for t in (await client.list_tools()).tools}


async def _call(url: str, tool: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    async with connect(url, allow_write=True) as client:
        result = await client.call_tool(tool, arguments)
    text = result.content[0].text if result.content else ""
    if not result.is_error:
        assert result.structured_content is not None, (tool, arguments)
    return bool(result.is_error), text


def test_any_schema_valid_arguments_get_a_result_or_a_tool_error(seeded: Seeded) -> None:
    schemas = anyio.run(_schemas, seeded.url)
    strategies = {name: from_schema(schema) for name, schema in sorted(schemas.items())}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        tool = data.draw(st.sampled_from(sorted(strategies)), label="tool")
        arguments = data.draw(strategies[tool], label="arguments")
        failed, text = anyio.run(_call, seeded.url, tool, arguments)
        if failed:
            # An internal error reads only "Error executing tool <name>": ours always say more.
            assert text.strip() != f"Error executing tool {tool}", (tool, arguments)
            assert "Traceback" not in text and "sqlalchemy" not in text.casefold(), text
            assert "psycopg" not in text.casefold() and "internal error" not in text.casefold()

    check()
