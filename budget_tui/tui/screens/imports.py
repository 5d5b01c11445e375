"""Import a bank statement: choose the file (a path with completion), see how it was read (the
format, the date format, which columns), then a preview of every row with the category it would
get and how (file, rule, suggested, your choice, none), duplicates dimmed, bad rows marked with
their reason. Fix a row's category (``c``) or every row alike (``C``), then import (Ctrl+S):
one transaction, one change in the history (``u`` takes it back whole).

The screen keeps the person's choices (category per row, date format, money-out sign, skip bad
rows, create new categories) and hands them to ``file_import.import_file``; every read and the
import itself run in worker threads.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from budget_tui.errors import BudgetError
from budget_tui.tui import runner
from budget_tui.tui.screens._import_keys import IMPORT_BINDINGS
from budget_tui.tui.screens.import_text import (
    COLUMNS,
    describe_format,
    imported_note,
    nothing_imported,
    row_cells,
    status_line,
)
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.path_input import PathInput, PathSuggester

if TYPE_CHECKING:
    from budget_tui.controller.import_views import ImportPreview, ImportReport, PreviewRow


class ImportScreen(runner.DatabaseWork, Screen[None]):
    """The import screen; opened with ``i`` on Expenses (or from the command palette)."""

    TITLE = "Import"
    AUTO_FOCUS = "#import-path"
    BINDINGS: ClassVar[list[BindingType]] = IMPORT_BINDINGS

    @dataclass
    class Previewed(Message):
        path: str
        preview: ImportPreview

    @dataclass
    class Imported(Message):
        report: ImportReport

    @dataclass
    class Failed(Message):
        error: BudgetError

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path
        self.preview: ImportPreview | None = None
        self.choices: dict[int, str] = {}
        self.date_format: str | None = None
        self.mapping_json: str | None = None
        self.skip_bad = False
        self.create_categories = False
        self.save_profile: str | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader(None)
        yield PathInput(
            self.path,
            placeholder="Path of the statement: CSV, OFX/QFX, QIF or CAMT.053 (Tab completes)",
            id="import-path",
            suggester=PathSuggester(),
        )
        yield Static("Type the file's path and press Enter.", id="import-format", markup=False)
        yield DataTable(id="import-rows", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-status", markup=False)
        yield AppFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.table
        table.display = False
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        if self.path:
            self.load()

    @property
    def table(self) -> DataTable:
        return self.query_one("#import-rows", DataTable)

    @property
    def current(self) -> PreviewRow | None:
        if self.preview is None or not self.table.row_count:
            return None
        index = self.table.cursor_row
        rows = self.preview.rows
        return rows[index] if 0 <= index < len(rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "choose_alike", "accept"):
            row = self.current
            if row is None or row.status != "new" or self.table.has_focus is False:
                return None
            if action == "accept" and row.suggestion is None:
                return None
        if action == "date_format":
            if self._ambiguous:
                return True
            fmt = self.preview.format if self.preview is not None else None
            if fmt is None or fmt.kind not in ("csv", "qif") or fmt.own_format:
                return None
        if action in ("commit", "skip_bad", "flip_sign") and self.preview is None:
            return None
        if action == "mapping" and (
            self.preview is None
            or self.preview.format.kind != "csv"
            or self.preview.format.own_format
        ):
            return None
        if action == "new_categories" and (self.preview is None or not self.preview.unknown):
            return None
        return True

    # -- reading -------------------------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        self.path = os.path.expanduser(event.value.strip())
        self.choices.clear()
        self.date_format = self.mapping_json = self.save_profile = None
        self.load()

    def _options(self, **more: object):
        from budget_tui.controller.file_import import ImportOptions

        return ImportOptions(
            mapping_json=self.mapping_json,
            date_format=self.date_format,
            choices=dict(self.choices),
            skip_bad=self.skip_bad,
            create_categories=self.create_categories,
            save_profile=self.save_profile,
            **more,  # type: ignore[arg-type]
        )

    def load(self) -> None:
        if not self.path:
            return
        self.query_one("#import-format", Static).update(f"Reading {self.path}…")
        self._load(self.path, self._options())

    @work(thread=True, exclusive=True, group="import-load", exit_on_error=False)
    def _load(self, path: str, options) -> None:
        from budget_tui.controller.file_import import preview_import

        try:
            preview = runner.call(self.app, preview_import, path, options)
        except BudgetError as error:
            runner.deliver(self, self.Failed(error))
        else:
            runner.deliver(self, self.Previewed(path, preview))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        from budget_tui.errors import InvalidInput

        error = message.error
        if isinstance(error, InvalidInput):
            if error.field == "date_format" and self.path:
                self.query_one("#import-format", Static).update(
                    f"{error.message} Press f to choose the date format."
                )
                self._ambiguous = True
                self.set_focus(None)  # f is the screen's key now, not a letter of the path
                self.refresh_bindings()
                return
            self.query_one("#import-format", Static).update(error.message)
            return
        runner.report_error(self, error)

    _ambiguous = False

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.path != self.path:
            return
        self.preview = preview = message.preview
        self._ambiguous = False
        fmt = preview.format
        if fmt.mapping_json:
            self.mapping_json = fmt.mapping_json
        self.query_one("#import-format", Static).update(describe_format(preview))
        table = self.table
        row_index = table.cursor_row if table.row_count else 0
        table.clear()
        for row in preview.rows:
            table.add_row(*row_cells(row), key=str(row.line) + ":" + str(id(row)))
        table.display = True
        if preview.rows:
            table.move_cursor(row=min(row_index, len(preview.rows) - 1), animate=False)
            table.focus()
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.query_one("#import-status", Static).update(status_line(preview, self._options()))

    @on(DataTable.RowHighlighted, "#import-rows")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    # -- choices -------------------------------------------------------------------------------

    def action_date_format(self) -> None:
        from budget_tui.importers.values import DATE_NAMES

        names = list(DATE_NAMES.values())
        if self.preview is None:
            names = ["DD/MM/YYYY", "MM/DD/YYYY"]
        choices = list(self.preview.format.date_choices) if self.preview else []
        current = self.date_format or (self.preview.format.date_format if self.preview else None)
        pool = choices if len(choices) > 1 else names
        following = pool[(pool.index(current) + 1) % len(pool)] if current in pool else pool[0]
        self.date_format = following
        if self.mapping_json:
            self.mapping_json = None  # read the dates again with the new format
        self.load()

    def action_flip_sign(self) -> None:
        if not self.mapping_json:
            return
        mapping = json.loads(self.mapping_json)
        mapping["money_out"] = "positive" if mapping.get("money_out") == "negative" else "negative"
        self.mapping_json = json.dumps(mapping, sort_keys=True)
        self.load()

    @work(group=runner.DIALOG)
    async def action_mapping(self) -> None:
        from budget_tui.tui.screens.import_mapping import MappingForm

        preview = self.preview
        if preview is None or not preview.format.mapping_json:
            return
        form = MappingForm(preview.format.header, preview.format.mapping_json, self.save_profile)
        answer = await self.app.push_screen_wait(form)
        if answer is not None:
            self.mapping_json, self.save_profile = answer
            self.load()

    @work(group=runner.DIALOG)
    async def action_rules(self) -> None:
        from budget_tui.tui.screens.rules import RulesScreen

        await self.app.push_screen_wait(RulesScreen())
        self.load()  # the rules may have changed: categorise again

    def action_skip_bad(self) -> None:
        self.skip_bad = not self.skip_bad
        self._status()

    def action_new_categories(self) -> None:
        self.create_categories = not self.create_categories
        self._status()

    def action_accept(self) -> None:
        row = self.current
        if row is not None and row.suggestion:
            self.choices[row.index] = row.suggestion
            self.load()

    @work(group=runner.DIALOG)
    async def action_choose(self) -> None:
        await self._choose(alike=False)

    @work(group=runner.DIALOG)
    async def action_choose_alike(self) -> None:
        await self._choose(alike=True)

    async def _choose(self, *, alike: bool) -> None:
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        row, preview = self.current, self.preview
        if row is None or preview is None:
            return
        names = list(preview.categories)
        choices = list(enumerate(names, start=1))
        current = names.index(row.category) + 1 if row.category in names else None
        title = (
            f"Category for every {row.description!r}" if alike else f"Category for row {row.line}"
        )
        answer = await self.app.push_screen_wait(CategoryPicker(title, choices, current=current))
        if not answer:
            return
        name = names[answer - 1]
        alike_rows = [r for r in preview.rows if alike and r.description == row.description]
        for target in alike_rows or [row]:
            self.choices[target.index] = name
        self.load()

    # -- import --------------------------------------------------------------------------------

    def action_commit(self) -> None:
        if self.preview is None:
            return
        self.query_one("#import-status", Static).update("Importing…")
        self._commit(self.path, self._options())

    @work(thread=True, exclusive=True, group="import-commit", exit_on_error=False)
    def _commit(self, path: str, options) -> None:
        from budget_tui.controller.file_import import import_file

        try:
            report = runner.call(self.app, import_file, path, options)
        except BudgetError as error:
            runner.deliver(self, self.Failed(error))
        else:
            runner.deliver(self, self.Imported(report))

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        report = message.report
        if not report.imported:
            self.query_one("#import-status", Static).update(nothing_imported(report))
            return
        self.app.notify(imported_note(report), timeout=6)
        self.dismiss(None)

    def action_close(self) -> None:
        if self.focused is not None and self.focused.id == "import-path" and self.preview:
            self.table.focus()
            return
        self.dismiss(None)
