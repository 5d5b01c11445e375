"""Faults that need a server of our own: a restart, and TLS on or off.

Each test starts a throwaway PostgreSQL cluster (initdb into tmp, a free port) and stops it at the
end; the shared test server is never touched. These run where the PostgreSQL tests run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import open_book
from budget_tui.errors import DatabaseUnavailable
from tests.conftest import pg_url
from tests.faults.cluster import ThrowawayCluster
from tests.faults.conftest import bounded

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def tls_cluster() -> Iterator[ThrowawayCluster]:
    pg_url()  # these run with the PostgreSQL suite
    with ThrowawayCluster(ssl=True) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def plain_cluster() -> Iterator[ThrowawayCluster]:
    pg_url()
    with ThrowawayCluster(ssl=False) as cluster:
        yield cluster


def test_server_restarted_then_the_next_action_succeeds(tls_cluster: ThrowawayCluster) -> None:
    book = open_book(tls_cluster.url())
    try:
        food = categories.create_category(book.sessions, "Food")
        expenses.create_expense(
            book.sessions, description="Before", amount="1", occurred_on="today", category=food.id
        )
        tls_cluster.restart()  # every pooled connection is now dead
        after = expenses.create_expense(
            book.sessions, description="After", amount="2", occurred_on="today", category=food.id
        )
        assert after.replayed is False
        names = [c.name for c in categories.list_categories(book.sessions)]
        assert names == ["Food"]
        assert categories.get_category(book.sessions, food.id).count == 2
    finally:
        book.close()


def test_sslmode_require_connects_over_tls(tls_cluster: ThrowawayCluster) -> None:
    book = open_book(tls_cluster.url(sslmode="require"))
    try:
        with book.engine.connect() as conn:
            ssl = conn.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).scalar()
        assert ssl is True
        categories.create_category(book.sessions, "Encrypted")
    finally:
        book.close()


def test_verify_full_with_the_right_root_connects_and_a_wrong_root_is_refused(
    tls_cluster: ThrowawayCluster, tmp_path: Path
) -> None:
    assert tls_cluster.cert is not None
    good = open_book(tls_cluster.url(sslmode="verify-full", sslrootcert=str(tls_cluster.cert)))
    good.close()

    from tests.faults.cluster import make_certificate

    other, _ = make_certificate(tmp_path)  # a certificate the server was not signed with
    _, error, _ = bounded(
        lambda: open_book(tls_cluster.url(sslmode="verify-full", sslrootcert=str(other)))
    )
    assert isinstance(error, DatabaseUnavailable)
    assert "certificate could not be verified" in error.message


def test_plain_text_server_with_sslmode_require_says_it_does_not_offer_tls(
    plain_cluster: ThrowawayCluster,
) -> None:
    _, error, _ = bounded(lambda: open_book(plain_cluster.url(sslmode="require")))
    assert isinstance(error, DatabaseUnavailable)
    assert "does not offer TLS" in error.message
    assert error.saved is False
    # Without TLS demanded, the same server works: the refusal was about TLS only.
    book = open_book(plain_cluster.url(sslmode="disable"))
    book.close()
