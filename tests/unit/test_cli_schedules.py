"""Schedules on the command line, on both backends: rent from a date in the past is posted once,
``post-due`` (as cron runs it) posts what falls due and nothing twice, ``upcoming`` lists what
is coming, pause/resume/delete say what they did, and errors are one line with exit code 1."""

from __future__ import annotations

import json

from tests.unit.test_cli_history import run, stored, url  # noqa: F401 (url is a fixture)


def test_rent_on_the_31st_posted_once_then_by_post_due(url: str) -> None:  # noqa: F811
    code, out, err = run(
        "--db", url, "schedule", "add", "Rent", "1200", "-c", "groceries",
        "--every", "month", "--day", "31", "--start", "2026-01-31",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "Added schedule #1: Rent  $1,200.00  every month on the 31st  in Groceries; next 2026-01-31",
        "Posted #1: 2026-01-31  Rent  $1,200.00  in Groceries",
        "Posted #2: 2026-02-28  Rent  $1,200.00  in Groceries",
    ]
    code, out, err = run("--db", url, "post-due")
    assert (code, out) == (0, "") and "Nothing is due." in err
    code, out, _ = run("--db", url, "post-due", "--until", "2026-04-30")
    assert out.splitlines() == [
        "Posted #3: 2026-03-31  Rent  $1,200.00  in Groceries",
        "Posted #4: 2026-04-30  Rent  $1,200.00  in Groceries",
    ]
    assert run("--db", url, "post-due", "--until", "2026-04-30")[1] == ""
    assert [d for _, _, d in stored(url)] == [
        "2026-04-30",
        "2026-03-31",
        "2026-02-28",
        "2026-01-31",
    ]
    code, out, _ = run("--db", url, "history", "--format", "json", "--limit", "2")
    assert [c["source"] for c in json.loads(out)] == ["schedule", "schedule"]


def test_list_upcoming_pause_resume_delete(url: str) -> None:  # noqa: F811
    run("--db", url, "schedule", "add", "Gym", "30", "-c", "groceries", "--every", "2 weeks",
        "--day", "mon", "--start", "2026-03-16")  # fmt: skip
    run("--db", url, "schedule", "add", "Water", "45.50", "-c", "groceries", "--day", "last",
        "--remind")  # fmt: skip
    code, out, _ = run("--db", url, "schedule", "list", "--format", "json")
    listed = json.loads(out)["schedules"]
    assert [(s["description"], s["next"], s["every"], s["mode"]) for s in listed] == [
        ("Gym", "2026-03-16", "every 2 weeks on Monday", "post"),
        ("Water", "2026-03-31", "every month on the last day", "remind"),
    ]
    code, out, _ = run("--db", url, "upcoming", "--days", "31", "--format", "json")
    result = json.loads(out)
    assert [(e["date"], e["description"]) for e in result["entries"]] == [
        ("2026-03-16", "Gym"),
        ("2026-03-30", "Gym"),
        ("2026-03-31", "Water"),
        ("2026-04-13", "Gym"),
    ]
    assert (result["spending"], result["net"]) == ("135.50", "-135.50")
    code, out, _ = run("--db", url, "upcoming", "--days", "3")
    assert "2026-03-16  Gym" in out and "Water" not in out
    assert "Scheduled: income $0.00 · spending $30.00 · net -$30.00" in out
    code, out, _ = run("--db", url, "schedule", "list")
    assert out.splitlines()[0].split() == [
        "ID", "Next", "Description", "Amount", "Category", "Every", "State"
    ]  # fmt: skip
    assert (
        run("--db", url, "schedule", "pause", "1")[1]
        == "Paused schedule #1 (Gym); next 2026-03-16.\n"
    )
    assert "paused" in run("--db", url, "schedule", "list")[1]
    assert run("--db", url, "schedule", "resume", "1")[0] == 0
    assert run("--db", url, "schedule", "skip", "1")[1].endswith("next 2026-03-30.\n")
    code, out, _ = run("--db", url, "schedule", "delete", "2")
    assert out == "Deleted schedule #2 (Water); its entries stay.\n"
    code, out, _ = run("--db", url, "undo")
    assert code == 0 and out.startswith("Undid: delete schedule 'Water'")


def test_errors_are_one_line_with_exit_code_1(url: str) -> None:  # noqa: F811
    code, _, err = run(
        "--db", url, "schedule", "add", "X", "5", "-c", "groceries", "--every", "fortnite"
    )
    assert code == 1 and err.startswith("Error: ") and err.count("\n") == 1
    code, _, err = run("--db", url, "schedule", "add", "X", "5", "-c", "groceries", "--day", "32")
    assert code == 1 and "1 to 31" in err
    code, _, err = run("--db", url, "schedule", "add", "X", "5", "-c", "nowhere")
    assert code == 1 and "no category named 'nowhere'" in err
    code, _, err = run("--db", url, "schedule", "pause", "7")
    assert code == 1 and "no schedule #7" in err
    assert run("--db", url, "schedule", "list")[1].startswith("No schedules yet")
    assert stored(url) == []
