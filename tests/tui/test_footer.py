"""The footer shows each screen's keys, dimmed while they can't act, and is rebuilt only when
what it shows changes."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from tests.tui.helpers import make_app, ready, settle


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def dimmed(app) -> set[str]:
    return {key.action for key in footer_keys(app) if key.has_class("-disabled")}


async def test_the_footer_dims_row_keys_in_an_empty_month_and_is_not_rebuilt_for_nothing(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        keys = footer_keys(app)
        assert "edit" in {key.action for key in keys}
        assert dimmed(app) == set()

        # Refreshing the bindings (a focus change, a load) with nothing changed keeps the keys.
        app.screen.refresh_bindings()
        await pilot.press("down")
        await settle(pilot)
        assert footer_keys(app) == keys
        assert all(key.is_attached for key in keys)

        # A month with no expense (the demo book's next one) dims the keys that act on a row...
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert not app.screen.rows
        assert {"edit", "delete"} <= dimmed(app)
        assert all(key.has_class("-compact") for key in footer_keys(app))

        # ...and stepping back lights them again.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.rows
        assert dimmed(app) == set()
