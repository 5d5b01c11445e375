"""The Textual user interface. Talks to the database only through budget_tui.controller."""
