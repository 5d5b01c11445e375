"""The app shell: switching screens, help, the command palette, the header, connecting."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Static

from budget_tui.tui.commands import BudgetCommands
from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.screens.connecting import ConnectingScreen
from budget_tui.tui.screens.expenses import ExpensesScreen
from budget_tui.tui.screens.help import HelpScreen
from tests.tui.helpers import make_app, ready, settle, type_text


async def test_number_and_function_keys_switch_screens(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ExpensesScreen)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ExpensesScreen)
        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "reports"
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)


async def test_f1_lists_the_keys_of_the_screen(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = dict(help_screen.rows)
        assert "Enter a new expense" in keys.values()
        assert "Quit budget-tui" in keys.values()
        await pilot.press("escape")
        assert isinstance(app.screen, ExpensesScreen)


async def test_the_header_shows_which_database_is_open(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(120, 24)) as pilot:
        await ready(pilot)
        assert app.sub_title == demo_url.removeprefix("sqlite:///")
        shown = str(app.screen.query_one("#header-book").render())
        # The whole path when it fits; a test's temporary path is long: its file name, then.
        assert shown == app.sub_title or shown == "book.db"


async def test_the_keys_between_screens_are_always_in_view_at_80x24(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for key, mode in (("2", "categories"), ("3", "reports"), ("1", "expenses")):
            tabs = app.screen.query_one("#header-tabs")
            text = str(tabs.render())
            assert "1 Expenses" in text and "2 Categories" in text and "3 Reports" in text
            assert tabs.region.right <= 80
            # The book shares the line when it fits; with six tabs at 80 columns not even its
            # name does, and a stub of it ("….db") would say nothing: the tabs come first.
            book = str(app.screen.query_one("#header-book").render())
            assert book == ""
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
        # The tabs are click targets too.
        await pilot.click("#header-tabs", offset=(20, 0))
        await settle(pilot)
        assert app.current_mode == "categories"


async def test_the_header_glyph_is_one_every_browser_font_has(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert str(app.screen.query_one("#header-tabs").render()).startswith(" ≡ ")
        assert "⭘" not in str(app.screen.query_one("#app-header").render())


async def palette_titles(app) -> list[str]:
    """What the palette offers on the screen on show, before anything is typed."""
    provider = BudgetCommands(app.screen)
    return [hit.display async for hit in provider.discover()]


async def test_the_command_palette_offers_the_actions_of_the_screen_on_show(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        titles = await palette_titles(app)
        assert "Add: Enter a new expense" in titles
        assert "Categories: Categories, their budgets and what is left" in titles
        assert "Expenses: The month's expenses" not in titles  # already on show
        assert not any("category" in t and t.startswith("Rename") for t in titles)
        assert len(titles) == len(set(titles)), "1 and F2 are one entry"

        await pilot.press("2")
        await settle(pilot)
        titles = await palette_titles(app)
        assert "Rename: Rename the selected category" in titles
        assert "Add: Enter a new expense" not in titles

        await pilot.press("ctrl+p")
        await type_text(pilot, "create a category")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        from budget_tui.tui.widgets.category_form import CategoryForm

        assert app.current_mode == "categories"
        assert isinstance(app.screen, CategoryForm)


async def test_the_palette_offers_every_screen_binding_that_has_an_action(demo_url):
    from budget_tui.tui.screens.reports import ReportsScreen

    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for key, screen_type in (("2", CategoriesScreen), ("3", ReportsScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            titles = await palette_titles(app)
            for binding in screen_type.BINDINGS:
                assert isinstance(binding, Binding)
                if app.screen.check_action(binding.action.split("(")[0], ()):
                    assert f"{binding.description}: {binding.tooltip}" in titles, binding


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    from budget_tui.tui.app import BudgetApp
    from budget_tui.tui.screens.confirm import ConfirmScreen
    from budget_tui.tui.screens.import_mapping import MappingForm
    from budget_tui.tui.screens.imports import ImportScreen
    from budget_tui.tui.screens.rules import RuleForm, RulesScreen
    from budget_tui.tui.widgets.category_form import CategoryForm
    from budget_tui.tui.widgets.category_picker import CategoryPicker
    from budget_tui.tui.widgets.expense_form import ExpenseForm
    from budget_tui.tui.widgets.path_input import PathInput

    for owner in (
        BudgetApp,
        ConnectingScreen,
        ExpensesScreen,
        CategoriesScreen,
        HelpScreen,
        ConfirmScreen,
        CategoryForm,
        CategoryPicker,
        ExpenseForm,
        ImportScreen,
        PathInput,
        RulesScreen,
        RuleForm,
        MappingForm,
    ):
        for binding in owner.BINDINGS:
            assert binding.id and binding.tooltip, (owner.__name__, binding.key)  # type: ignore[union-attr]


async def test_an_unreachable_database_says_so_and_offers_retry(tmp_path):
    # A directory where the file should be: SQLite can't open it.
    (tmp_path / "dir.db").mkdir()
    app = make_app(f"sqlite:///{tmp_path / 'dir.db'}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectingScreen)
        text = str(screen.query_one("#connecting-message", Static).render())
        assert "Could not open" in text and "Press r to try again" in text
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen)
        assert app.is_running


async def test_the_connecting_spinner_stops_once_the_book_is_open(empty_url):
    from textual.widgets import LoadingIndicator

    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        # The connecting screen stays under the app (for a lost connection), out of sight.
        connecting = [
            s for s in app._screen_stacks[app.DEFAULT_MODE] if isinstance(s, ConnectingScreen)
        ]
        assert connecting
        spinner = connecting[0].query_one(LoadingIndicator)
        assert spinner.auto_refresh is None  # no wake-ups while no one sees it


async def test_the_connecting_spinner_pauses_under_the_key_list(tmp_path):
    from textual.widgets import LoadingIndicator

    (tmp_path / "dir.db").mkdir()  # never opens: the connecting screen stays
    app = make_app(f"sqlite:///{tmp_path / 'dir.db'}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        connecting = app.screen
        assert isinstance(connecting, ConnectingScreen)
        spinner = connecting.query_one(LoadingIndicator)
        assert spinner.auto_refresh
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and spinner.auto_refresh is None
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen is connecting and spinner.auto_refresh


async def test_user_text_is_never_read_as_markup(empty_url, db):
    from budget_tui.controller.categories import create_category
    from budget_tui.controller.expenses import create_expense

    create_category(db.sessions, "[bold]Loud[/bold]")
    create_expense(
        db.sessions,
        description="[red]not red[/red] [link=x]",
        amount="1",
        occurred_on="2026-03-01",
        category="[bold]Loud[/bold]",
    )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 24)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "[red]not red[/red] [link=x]" in str(
            app.screen.query_one("#confirm-message").render()
        )
        await pilot.press("n", "2")
        await settle(pilot)
        cell = app.screen.table.get_cell_at((0, 0))
        assert cell.plain == "[bold]Loud[/bold]"


async def test_a_slow_call_shows_working_in_the_header(demo_url, monkeypatch):
    import threading

    from budget_tui.controller import categories
    from tests.tui.fault_helpers import wait_for

    real_overview = categories.category_overview
    answer = threading.Event()

    def slow_overview(sessions, period):
        answer.wait(20)  # the database answers when the test says so
        return real_overview(sessions, period)

    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(categories, "category_overview", slow_overview)
        await pilot.press("2")
        await wait_for(
            pilot, lambda: app.sub_title.endswith("working…"), within=10, what="working…"
        )
        assert not app.screen.rows, "the categories are still on their way"
        answer.set()
        await settle(pilot)
        assert app.screen.rows, "the categories came in the end"
        assert app.sub_title == app.location


async def test_the_palette_on_reports_never_offers_another_screens_actions(demo_url, db):
    from budget_tui.controller.expense_list import expense_totals
    from budget_tui.tui.screens.reports import ReportsScreen

    before = expense_totals(db.sessions).count
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "reports")
        titles = await palette_titles(app)
        assert not any(t.startswith(("Delete", "Edit", "Move", "Add")) for t in titles), titles
        assert any(t.startswith("Period") for t in titles)
        # Typing "delete expense" and Enter: nothing to run, Reports stays, nothing deleted.
        await pilot.press("ctrl+p")
        await type_text(pilot, "delete expense")
        await pilot.pause(0.3)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert app.current_mode == "reports"
    assert expense_totals(db.sessions).count == before
