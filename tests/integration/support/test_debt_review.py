"""The monthly technology review reads the debt register the support configuration names, and lists the
entries whose trigger has come, row counts read from the real database on both flavours."""

from __future__ import annotations

from datetime import timedelta

import pytest

from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from tests.integration.support.test_reviews import run
from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, database_url):
    return make_settings(tmp_path, database_url)


def entry(ident: str, due, when: str | None = None) -> str:
    lines = [
        f"### {ident} · {ident} left alone",
        "- why: w",
        "- cost: c",
        f"- trigger: {ident} trigger",
        f"- due: {due}",
    ]
    return "\n".join([*lines, *([f"- when: {when}"] if when else [])]) + "\n\n"


def use_register(app, text: str, path) -> None:
    path.write_text(text)
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "support").content.replace(
            "technology:\n", f"technology:\n  debt_register: {path}\n", 1
        )
        apply(session, "support", content, author="admin", reason="the register of this test")


def test_the_technology_review_lists_the_debt_whose_trigger_has_come(app, tmp_path):
    today = utcnow().date()
    register = "# Debt\n\n## Open\n\n" + "".join(
        [
            entry("D1", today - timedelta(days=1)),
            entry("D2", today + timedelta(days=300), "users rows > 0"),  # the first admin is a row
            entry("D3", today + timedelta(days=300), "users rows > 1000"),
            "### D4 · no date\n- why: w\n- cost: c\n- trigger: t\n",
        ]
    )
    use_register(app, register, tmp_path / "debt.md")
    outcome = run(app, "technology_review")
    debt = outcome["report"]["debt"]
    assert [(d["id"], d["because"][0].split(" ")[0]) for d in debt["come"]] == [("D1", "due"), ("D2", "users")]
    assert debt["open"] == 3 and debt["problems"] == ["D4: no due"]
    assert outcome["summary"].endswith("debt due: D1, D2")


def test_a_missing_register_is_reported_and_the_review_still_runs(app, tmp_path):
    use_register(app, "", tmp_path / "debt.md")
    (tmp_path / "debt.md").unlink()
    debt = run(app, "technology_review")["report"]["debt"]
    assert debt["come"] == [] and debt["problems"] == [f"no debt register at {tmp_path / 'debt.md'}"]
