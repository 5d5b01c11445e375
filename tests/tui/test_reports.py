"""The Reports screen, driven like a person: open the app on a demo book, press 3, change the
period with the keys, and check that every figure on screen is the controller's and the database's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from budget_tui.controller import categories, expenses, reports
from budget_tui.controller.book import Book
from budget_tui.controller.periods import Period
from budget_tui.controller.reports import chart_period
from budget_tui.errors import DatabaseUnavailable
from budget_tui.money import format_money
from budget_tui.tui.screens.reports import ReportsScreen
from budget_tui.tui.widgets.charts import BarTable, MonthBars
from budget_tui.tui.widgets.period_bar import period_label
from tests.tui.helpers import make_app, notifications, ready, settle

TODAY = dt.date(2026, 3, 15)
ODD_NAME = "[b]Odd[/b] [link=x]name"


@pytest.fixture
def demo_book(demo_url: str, db: Book) -> Book:
    """The shared demo book (fixed seed and date) plus a category whose name looks like markup.

    The app opens ``demo_url``; this Book on the same file is for the expected figures.
    """
    categories.create_category(db.sessions, ODD_NAME, "20")
    expenses.create_expense(
        db.sessions,
        description="Odd thing",
        amount="12.34",
        occurred_on=dt.date(2026, 3, 2),
        category=ODD_NAME,
    )
    return db


async def open_reports(pilot: Pilot) -> ReportsScreen:
    """Wait for the book and the home screen, then press 3 as a person would."""
    await ready(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportsScreen)
    return pilot.app.screen


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def table_rows(screen: ReportsScreen, selector: str, columns: int) -> list[tuple[str, ...]]:
    table = screen.query_one(selector, DataTable)
    return [
        tuple(str(cell) for cell in table.get_row_at(i)[:columns]) for i in range(table.row_count)
    ]


def summary_text(screen: ReportsScreen) -> str:
    return str(screen.query_one("#summary", Static).render())


def db_totals(book: Book, period: Period) -> dict[str, tuple[int, int]]:
    """Cents and count per category name, straight from the expenses table."""
    with book.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.name, SUM(e.amount), COUNT(*) FROM expenses e "
                "JOIN categories c ON c.id = e.category_id WHERE c.kind = 'spending' "
                "AND e.occurred_on >= :start AND e.occurred_on < :end GROUP BY c.name"
            ),
            {"start": period.start, "end": period.end},
        )
        return {name: (int(cents), int(count)) for name, cents, count in rows}


def expected_category_rows(book: Book, period: Period) -> list[tuple[str, ...]]:
    report = reports.spend_by_category_report(book.sessions, period)
    return [
        (r.name, format_money(r.total), f"{float(r.share) * 100:.1f}%", f"{r.count:,}")
        for r in report.rows
    ]


def assert_period_shown(screen: ReportsScreen, book: Book, period: Period) -> None:
    """The summary, the category table and the largest expenses are the controller's figures
    for ``period``, and the category totals are the database's."""
    assert screen.period == period
    assert screen.query_one("#from", Input).value == period.start.isoformat()
    assert screen.query_one("#to", Input).value == period.last_day.isoformat()
    report = reports.spend_by_category_report(book.sessions, period)
    summary = summary_text(screen)
    assert summary.startswith(period_label(period))
    assert format_money(report.total) in summary
    assert f"{report.count:,} expense" in summary

    shown = table_rows(screen, "#by-category", 4)
    assert shown == expected_category_rows(book, period)
    from_db = db_totals(book, period)
    assert {
        name: (format_money(Decimal(c) / 100), f"{n:,}") for name, (c, n) in from_db.items()
    } == {row[0]: (row[1], row[3]) for row in shown}

    largest = reports.largest_expenses(book.sessions, period, 10)
    assert table_rows(screen, "#largest", 4) == [
        (e.occurred_on.isoformat(), e.description, e.category_name, format_money(e.amount))
        for e in largest
    ]


def chart_values(screen: ReportsScreen) -> list[tuple[dt.date, Decimal, int]]:
    return [(m.month, m.total, m.count) for m in screen.query_one("#by-month", MonthBars).months]


async def test_opens_on_this_month_with_the_controllers_figures(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        march = Period.month(TODAY)
        assert screen.query_one("#preset", Select).value == "this-month"
        assert_period_shown(screen, demo_book, march)

        expected = reports.spend_by_month(demo_book.sessions, Period.last_months(TODAY, 12))
        assert chart_values(screen) == [(m.month, m.total, m.count) for m in expected]
        assert len(expected) == 12 and expected[-1].month == dt.date(2026, 3, 1)

        budget = reports.budget_vs_actual(demo_book.sessions, TODAY)
        assert table_rows(screen, "#budget", 4) == [
            (
                line.name + (" ↻" if line.carried else ""),
                format_money(line.spent),
                "—" if line.budget is None else format_money(line.budget + line.carried),
                "—" if line.remaining is None else format_money(line.remaining),
            )
            for line in budget.lines
        ]
        # The demo's Utilities roll over: March holds its budget and what it carried in.
        assert any(line.carried for line in budget.lines)


async def test_p_cycles_the_presets_and_brackets_step_the_period(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        preset = screen.query_one("#preset", Select)

        await press(pilot, "p")
        assert preset.value == "last-month"
        assert_period_shown(screen, demo_book, Period.month(dt.date(2026, 2, 1)))

        await press(pilot, "p")
        assert preset.value == "this-year"
        assert_period_shown(screen, demo_book, Period.year(2026))

        await press(pilot, "left_square_bracket")
        assert preset.value == "custom"
        assert_period_shown(screen, demo_book, Period.year(2025))

        await press(pilot, "p")  # from a custom period, p starts again at this month
        assert preset.value == "this-month"

        await press(pilot, "p", "p", "p")
        assert preset.value == "last-12-months"
        assert_period_shown(screen, demo_book, Period(dt.date(2025, 4, 1), dt.date(2026, 4, 1)))

        await press(pilot, "p", "left_square_bracket", "left_square_bracket")
        assert_period_shown(screen, demo_book, Period.month(dt.date(2026, 1, 1)))
        assert preset.value == "custom"

        await press(pilot, "right_square_bracket")
        assert preset.value == "last-month"
        assert_period_shown(screen, demo_book, Period.month(dt.date(2026, 2, 1)))


async def test_a_custom_range_accepts_iso_and_relative_dates(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        await press(pilot, "c")
        assert screen.focused is screen.query_one("#from", Input)
        await pilot.press(*"2026-01-10", "enter")  # typing replaces the selected date
        await settle(pilot)
        assert screen.focused is screen.query_one("#to", Input)
        await press(pilot, "minus", "3", "enter")
        period = Period.between(dt.date(2026, 1, 10), dt.date(2026, 3, 12))
        assert screen.query_one("#preset", Select).value == "custom"
        assert_period_shown(screen, demo_book, period)
        summary = reports.summary(demo_book.sessions, period.start, period.last_day)
        assert f"{format_money(summary.daily_average)} a day" in summary_text(screen)

        # The month chart ends with the range's last month; months inside the range are marked.
        chart = screen.query_one("#by-month", MonthBars)
        assert chart.months[-1].month == dt.date(2026, 3, 1)
        assert [m.month for m in chart.months if chart._in_period(m.month)] == [
            dt.date(2026, 1, 1),
            dt.date(2026, 2, 1),
            dt.date(2026, 3, 1),
        ]

        # A custom range steps by its own length (62 days).
        await press(pilot, "escape", "left_square_bracket")
        assert_period_shown(screen, demo_book, Period(dt.date(2025, 11, 9), dt.date(2026, 1, 10)))

        # A first day after the last one moves on to the last day without complaint...
        await press(pilot, "c", *"yesterday", "enter")
        assert screen.focused is screen.query_one("#to", Input)
        assert screen.query_one("#from", Input).value == "2026-03-14"
        assert str(screen.query_one("#period-error", Static).render()) == ""
        await press(pilot, *"today", "enter")
        assert_period_shown(screen, demo_book, Period.between(TODAY - dt.timedelta(days=1), TODAY))


async def test_leaving_the_dates_applies_them_or_says_what_is_wrong(
    demo_url: str, demo_book: Book
) -> None:
    """Tab out of the dates is Enter: the fields never show a range other than the report's
    without saying why."""
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        march = screen.period
        await press(pilot, "c", "tab")
        assert screen.focused is screen.query_one("#to", Input)
        await press(pilot, *"2026-03-10", "tab")
        assert screen.focused is not None and screen.focused.id == "by-category"
        assert_period_shown(screen, demo_book, Period.between(march.start, dt.date(2026, 3, 10)))

        await press(pilot, "c", "tab", *"13", "tab")
        assert screen.query_one("#to", Input).value == "13"  # kept, to be put right
        assert "not a date" in str(screen.query_one("#period-error", Static).render())
        assert screen.period == Period.between(march.start, dt.date(2026, 3, 10))


async def test_an_invalid_date_is_shown_next_to_the_field_and_keeps_the_period(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        await press(pilot, "c", *"soon", "enter")
        field = screen.query_one("#from", Input)
        assert field.value == "soon"  # what was typed stays
        assert field.has_class("-invalid")
        assert "'soon' is not a date" in str(screen.query_one("#period-error", Static).render())
        assert_period_shown_except_inputs(screen, demo_book, Period.month(TODAY))

        # The last day before the first: refused too, and the error names the last day.
        await press(pilot, "ctrl+a", "ctrl+k", *"2026-03-10", "enter")
        applied = Period.between(dt.date(2026, 3, 10), dt.date(2026, 3, 31))
        assert_period_shown(screen, demo_book, applied)
        await press(pilot, "ctrl+a", "ctrl+k", *"2026-03-01", "enter")
        assert screen.query_one("#to", Input).has_class("-invalid")
        assert "before the first day" in str(screen.query_one("#period-error", Static).render())
        assert_period_shown_except_inputs(screen, demo_book, applied)

        # Fixing it clears the error.
        await press(pilot, "ctrl+a", "ctrl+k", *"2026-03-12", "enter")
        assert str(screen.query_one("#period-error", Static).render()) == ""
        assert not screen.query_one("#to", Input).has_class("-invalid")
        assert_period_shown(
            screen, demo_book, Period.between(dt.date(2026, 3, 10), dt.date(2026, 3, 12))
        )


def assert_period_shown_except_inputs(screen: ReportsScreen, book: Book, period: Period) -> None:
    assert screen.period == period
    assert table_rows(screen, "#by-category", 4) == expected_category_rows(book, period)


async def test_enter_on_a_category_charts_that_category_by_month(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        table = screen.query_one("#by-category", DataTable)
        assert screen.focused is table
        await press(pilot, "down", "enter")
        second = reports.spend_by_category_report(demo_book.sessions, Period.month(TODAY)).rows[1]
        expected = reports.spend_by_month(
            demo_book.sessions, chart_period(screen.period, TODAY), category=second.category_id
        )
        assert chart_values(screen) == [(m.month, m.total, m.count) for m in expected]
        chart = screen.query_one("#by-month", MonthBars)
        assert second.name in str(chart.border_title)

        # Stepping the period keeps charting that category.
        await press(pilot, "left_square_bracket")
        expected = reports.spend_by_month(
            demo_book.sessions, chart_period(screen.period, TODAY), category=second.category_id
        )
        assert chart_values(screen) == [(m.month, m.total, m.count) for m in expected]
        assert chart.months[-1].month == dt.date(2026, 2, 1)

        # Enter on the charted category again goes back to all categories.
        row = next(
            i
            for i in range(table.row_count)
            if table.coordinate_to_cell_key((i, 0)).row_key.value == str(second.category_id)
        )
        table.move_cursor(row=row)
        await press(pilot, "enter")
        expected = reports.spend_by_month(demo_book.sessions, chart_period(screen.period, TODAY))
        assert chart_values(screen) == [(m.month, m.total, m.count) for m in expected]
        assert str(chart.border_title) == "Spend and income (green) by month"


async def test_the_month_chart_cursor_shows_each_months_figures(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        await press(pilot, "tab")
        chart = screen.query_one("#by-month", MonthBars)
        assert screen.focused is chart
        months = reports.spend_by_month(demo_book.sessions, Period.last_months(TODAY, 12))
        assert chart.border_subtitle.startswith(f"Mar 2026: {format_money(months[-1].total)}")
        await press(pilot, "left", "left")
        assert chart.border_subtitle == (
            f"Jan 2026: {format_money(months[-3].total)} spent · income "
            f"{format_money(months[-3].income)} · {months[-3].count} expenses"
        )
        await press(pilot, "home")
        assert chart.border_subtitle.startswith(f"Apr 2025: {format_money(months[0].total)}")


async def test_a_name_that_looks_like_markup_is_shown_as_typed(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        names = [row[0] for row in table_rows(screen, "#by-category", 1)]
        assert ODD_NAME in names
        budget_names = [row[0] for row in table_rows(screen, "#budget", 1)]
        assert ODD_NAME in budget_names
        table = screen.query_one("#by-category", DataTable)
        table.move_cursor(row=names.index(ODD_NAME))
        await press(pilot, "enter")
        # The chart's title is drawn as typed: no bold, no link.
        shown = "\n".join(strip.text for strip in screen._compositor.render_strips())
        assert f"Spend by month · {ODD_NAME}" in shown


async def test_figures_follow_changes_made_elsewhere(demo_url: str, demo_book: Book) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        before = reports.spend_by_category_report(demo_book.sessions, Period.month(TODAY))
        expenses.create_expense(
            demo_book.sessions,
            description="New laptop",
            amount="50000",
            occurred_on=TODAY,
            category="Shopping",
        )
        await press(pilot, "r")
        assert format_money(before.total + Decimal("50000")) in summary_text(screen)
        assert_period_shown(screen, demo_book, Period.month(TODAY))
        assert table_rows(screen, "#largest", 2)[0] == ("2026-03-15", "New laptop")

        # Leaving for another screen and coming back reads the figures again.
        await press(pilot, "1")
        expenses.create_expense(
            demo_book.sessions,
            description="Another laptop",
            amount="60000",
            occurred_on=TODAY,
            category="Shopping",
        )
        await press(pilot, "3")
        assert table_rows(screen, "#largest", 2)[0] == ("2026-03-15", "Another laptop")
        assert_period_shown(screen, demo_book, Period.month(TODAY))


async def test_a_long_description_never_pushes_the_amount_out_of_the_panel(
    demo_url: str, demo_book: Book
) -> None:
    long = "A very long description of a memorable purchase " * 4
    expenses.create_expense(
        demo_book.sessions,
        description=long.strip(),
        amount="5000",
        occurred_on=TODAY,
        category="Shopping",
    )
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        table = screen.query_one("#largest", DataTable)
        assert table_rows(screen, "#largest", 1)[0] == ("2026-03-15",)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        for name in ("#by-category", "#budget"):
            bars = screen.query_one(name, DataTable)
            assert bars.virtual_size.width <= bars.scrollable_content_region.width


async def test_the_period_can_be_chosen_from_the_picker(demo_url: str, demo_book: Book) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        preset = screen.query_one("#preset", Select)
        preset.focus()
        await press(
            pilot, "enter", "down", "down", "enter"
        )  # This month -> Last month -> This year
        assert preset.value == "this-year"
        assert_period_shown(screen, demo_book, Period.year(2026))

        # Choosing "Custom range" goes to the first day; Escape leaves the period as it was.
        await press(pilot, "enter", "down", "down", "enter")
        assert screen.focused is screen.query_one("#from", Input)
        await press(pilot, *"2020-01-01", "escape")
        assert preset.value == "this-year"
        assert screen.focused is screen.query_one("#by-category", DataTable)
        assert_period_shown(screen, demo_book, Period.year(2026))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_bar_colours_come_from_the_theme(demo_url: str, demo_book: Book, theme: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        app.theme = theme
        await settle(pilot)
        variables = app.theme_variables
        table = screen.query_one("#budget", BarTable)
        chart = screen.query_one("#by-month", MonthBars)

        def colour(widget: BarTable | MonthBars, component: str) -> str:
            style = widget.get_component_rich_style(component)
            assert style.color is not None
            return Color.from_rich_color(style.color).hex

        assert colour(table, "bar--fill") == Color.parse(variables["primary"]).hex
        assert colour(table, "bar--warning") == Color.parse(variables["warning"]).hex
        assert colour(table, "bar--error") == Color.parse(variables["error"]).hex
        assert colour(chart, "month-bars--in-period") == Color.parse(variables["accent"]).hex


async def test_a_lost_database_is_a_message_and_the_screen_keeps_working(
    demo_url: str, demo_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        real_report = reports.report

        def unreachable(*args: object, **kwargs: object) -> None:
            raise DatabaseUnavailable("The database server could not be reached.")

        monkeypatch.setattr(reports, "report", unreachable)
        await press(pilot, "p")
        assert any("could not be reached" in n for n in notifications(app))
        # No figures from the wrong period; the income line's place is kept, empty.
        assert summary_text(screen) == "February 2026 …\n"
        # March's figures are still there, dimmed: they are not February's. The panels come
        # from one snapshot, so they are all dimmed together.
        for panel in ("#by-category", "#by-month", "#budget", "#largest"):
            assert screen.query_one(panel).has_class("-stale"), panel

        monkeypatch.setattr(reports, "report", real_report)
        await press(pilot, "r")
        assert_period_shown(screen, demo_book, Period.month(dt.date(2026, 2, 1)))
        assert not screen.query("#panels > .-stale")


async def test_the_panels_keep_their_place_whether_or_not_money_came_in(
    demo_url: str, demo_book: Book
) -> None:
    """March has no salary yet (it comes on the 25th), February has: the summary's income line is
    there in both, so p from one to the other moves no panel."""
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        panels = screen.query_one("#panels")
        where = (panels.region, [p.region for p in panels.children])
        spending, income = summary_text(screen).split("\n")
        assert spending.startswith("March 2026 (so far)")
        march = reports.report(demo_book.sessions, screen.period, today=TODAY).summary.flows
        assert march.income == 0
        assert income == f"income $0.00 · net {format_money(march.net)}"

        await press(pilot, "p")
        spending, income = summary_text(screen).split("\n")
        assert spending.startswith("February 2026")
        february = reports.report(demo_book.sessions, screen.period, today=TODAY).summary.flows
        assert february.income > 0
        assert income.startswith(f"income {format_money(february.income)} · net ")
        assert (panels.region, [p.region for p in panels.children]) == where


async def test_at_80_columns_a_long_summary_is_cut_and_its_income_line_still_shows(
    empty_url: str, db: Book
) -> None:
    categories.create_category(db.sessions, "Boat")
    categories.create_category(db.sessions, "Salary", kind="income")
    expenses.create_expense(
        db.sessions,
        description="A boat",
        amount="9999999.99",
        occurred_on=dt.date(2026, 3, 2),
        category="Boat",
    )
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        summary = screen.query_one("#summary", Static)
        first, second = (summary.render_line(y).text.rstrip() for y in range(2))
        assert first.startswith("March 2026 (so far)  $9,999,999.99 spent · 1 expense · ")
        assert first.endswith("…")
        assert second == "income $0.00 · net -$9,999,999.99"


async def test_stacked_panels_keep_their_width_from_period_to_period(
    empty_url: str, db: Book
) -> None:
    """Under 110 columns the panels are stacked and scroll; whether a period's panels outgrow
    the screen or not, the scrollbar's column is kept, so nothing shifts sideways."""
    categories.create_category(db.sessions, "Rent")
    for day in range(1, 11):  # February's ten largest outgrow the screen; March has none
        expenses.create_expense(
            db.sessions,
            description=f"Rent part {day}",
            amount=f"{100 + day}",
            occurred_on=dt.date(2026, 2, day),
            category="Rent",
        )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reports(pilot)
        panels = screen.query_one("#panels")
        widths = set()
        for _ in range(4):  # this month, last month, this year, 12 months
            widths.add(tuple(p.size.width for p in panels.children))
            await press(pilot, "p")
        assert len(widths) == 1, widths


async def test_a_new_book_says_there_is_nothing_yet(empty_url: str) -> None:
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        assert summary_text(screen) == (
            "March 2026 (so far)  $0.00 spent · 0 expenses · $0.00 a day (15 days)"
        )  # no income line: the book has no income category
        assert table_rows(screen, "#by-category", 1) == [("No expenses in this period.",)]
        assert table_rows(screen, "#largest", 1) == [("No expenses in this period.",)]
        assert table_rows(screen, "#budget", 1) == [
            ("No categories yet: add them on the Categories screen (2).",)
        ]
        chart = screen.query_one("#by-month", MonthBars)
        assert chart.render_line(0).text.rstrip() == "Nothing spent in these months."
        await press(pilot, "enter")  # on the message row: nothing to chart, nothing breaks
        assert str(chart.border_title) == "Spend by month"


async def test_a_charted_category_deleted_elsewhere_goes_back_to_all(
    demo_url: str, demo_book: Book
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        names = [row[0] for row in table_rows(screen, "#by-category", 1)]
        table = screen.query_one("#by-category", DataTable)
        table.move_cursor(row=names.index(ODD_NAME))
        await press(pilot, "enter")
        chart = screen.query_one("#by-month", MonthBars)
        assert screen.chart_category is not None

        odd = categories.get_category(demo_book.sessions, ODD_NAME)
        groceries = categories.get_category(demo_book.sessions, "Groceries")
        categories.delete_category(demo_book.sessions, odd.id, move_to=groceries.id)
        await press(pilot, "r")
        assert screen.chart_category is None
        assert str(chart.border_title) == "Spend and income (green) by month"
        expected = reports.spend_by_month(demo_book.sessions, Period.last_months(TODAY, 12))
        assert chart_values(screen) == [(m.month, m.total, m.count) for m in expected]
        assert ODD_NAME not in [row[0] for row in table_rows(screen, "#by-category", 1)]
        assert not notifications(app)  # nothing to alarm anyone: the chart just shows all again
