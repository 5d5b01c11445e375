"""The controller: every user action, each one database transaction.

Public functions take the book's ``sessions`` (a sessionmaker) first and return frozen dataclasses
from :mod:`budget_tui.controller.views`. Only this package opens sessions; nothing here imports
textual. Errors are :mod:`budget_tui.errors` kinds.
"""
