"""Neon specifics that need no network: its pooler host migrates through the direct host."""

from __future__ import annotations

from budget_tui.controller.book import direct_url


def test_pooler_host_migrates_through_the_direct_host() -> None:
    url = "postgresql://u:pw@ep-cool-123-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require"
    assert direct_url(url) == (
        "postgresql://u:pw@ep-cool-123.eu-central-1.aws.neon.tech/neondb?sslmode=require"
    )


def test_other_hosts_have_no_separate_migration_url() -> None:
    assert direct_url("postgresql://u:pw@ep-cool-123.eu-central-1.aws.neon.tech/neondb") is None
    assert direct_url("sqlite:////tmp/x.db") is None


def test_a_pooler_that_is_not_neons_has_no_guessed_direct_host() -> None:
    # Any other PgBouncer is used as it is, migrations included: "db.internal" may not exist.
    assert direct_url("postgresql://u:pw@db-pooler.internal:6432/budget") is None
    assert direct_url("postgresql://u:pw@127.0.0.1:6432/budget?sslmode=disable") is None
