"""The MCP server's parts: result shapes, argument parsing, the read tools and the write tools.

The entry point is :func:`budget_tui.mcp_server.run_stdio`. Only this package and
``budget_tui.mcp_server`` import the MCP SDK.
"""
