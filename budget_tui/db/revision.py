"""The schema revision this version of budget-tui writes. Apart from :mod:`budget_tui.db.migrate`
(which imports SQLAlchemy and, to upgrade, Alembic) so that the start-up's first read can check a
book is up to date with the driver alone."""

HEAD = "0011"  # kept in step with versions/ by a test
