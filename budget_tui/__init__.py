"""budget-tui: a keyboard-driven budget tracker for the terminal."""

__version__ = "0.1.0"
