"""Editing, deleting or inserting audit rows directly in the database is detected and located."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, update

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.audit.verify import chain_report
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from tests.support.helpers import initialise


@pytest.fixture
def sessions(settings):
    initialise(settings)
    factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    with session_scope(factory) as s:
        s.execute(delete(AuditEvent))
    with session_scope(factory) as s:
        for i in range(6):
            audit.record(s, "admin", "user.created", f"user{i}", {"role": "writer"})
    with session_scope(factory) as s:
        ids = list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    return factory, ids


def report(factory) -> dict:
    with session_scope(factory) as s:
        return chain_report(s)


def test_an_intact_chain_reports_no_break(sessions):
    factory, _ids = sessions
    result = report(factory)
    assert (result["intact"], result["events"], result["breaks"]) == (True, 6, [])


def test_an_edited_row_is_named(sessions):
    factory, ids = sessions
    with session_scope(factory) as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == ids[2]).values(actor="someone-else"))
    result = report(factory)
    assert not result["intact"]
    assert [(b["event_id"], b["kind"]) for b in result["breaks"]] == [(ids[2], "altered")]


def test_a_deleted_row_is_located_by_the_row_after_it(sessions):
    factory, ids = sessions
    with session_scope(factory) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.id == ids[3]))
    breaks = report(factory)["breaks"]
    assert [(b["event_id"], b["kind"]) for b in breaks] == [(ids[4], "removed_before")]
    assert f"{ids[3]}..{ids[3]}" in breaks[0]["message"]


def test_deleting_the_first_rows_is_detected(sessions):
    factory, ids = sessions
    with session_scope(factory) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.id <= ids[1]))
    assert [(b["event_id"], b["kind"]) for b in report(factory)["breaks"]] == [(ids[2], "removed_before")]


def test_an_inserted_row_is_named(sessions):
    factory, ids = sessions
    with session_scope(factory) as s:
        last = s.scalar(select(AuditEvent).where(AuditEvent.id == ids[-1]))
        forged = AuditEvent(
            at=utcnow(), actor="admin", action="user.role_changed", target="mallory", details={}, prev_hash=last.hash
        )
        forged.hash = "f" * 64  # whoever inserts cannot know what verification expects without recomputing
        s.add(forged)
    assert [b["kind"] for b in report(factory)["breaks"]] == ["altered"]


def test_a_row_inserted_with_a_correct_hash_but_the_wrong_link_is_named(sessions):
    factory, ids = sessions
    with session_scope(factory) as s:
        early = s.scalar(select(AuditEvent).where(AuditEvent.id == ids[1]))
        forged = AuditEvent(
            at=early.at,
            actor="admin",
            action="user.role_changed",
            target="mallory",
            details={},
            prev_hash=early.hash,
            hash="e" * 64,
        )
        s.add(forged)
        s.flush()
        s.refresh(forged)
        s.execute(update(AuditEvent).where(AuditEvent.id == forged.id).values(hash=audit.digest(forged, early.hash)))
        new_id = forged.id
    breaks = report(factory)["breaks"]
    assert [(b["event_id"], b["kind"]) for b in breaks] == [(new_id, "inserted")]


def test_insert_statement_bypassing_the_orm_is_detected(sessions):
    factory, _ids = sessions
    with session_scope(factory) as s:
        s.execute(
            insert(AuditEvent).values(
                at=utcnow(), actor="x", action="y", target="", details={}, prev_hash="0" * 64, hash="a" * 64
            )
        )
    assert not report(factory)["intact"]


def test_the_cli_verifies_and_exports_and_names_a_break(settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from memo_coach.cli.main import app
    from memo_coach.settings import get_settings

    initialise(settings)
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", settings.sqlalchemy_url)
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(settings.config_dir))
    get_settings.cache_clear()
    runner = CliRunner()
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "sealed from event" in verified.output
    exported = runner.invoke(app, ["audit", "export", "--format", "json", "--output", str(tmp_path / "a.json")])
    assert exported.exit_code == 0 and (tmp_path / "a.json").stat().st_mode & 0o077 == 0
    csv_text = runner.invoke(app, ["audit", "export", "--format", "csv", "--action", "user."]).output
    assert csv_text.startswith("id,at,actor,action,target,details,prev_hash,hash") and "user.created" in csv_text
    factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    with session_scope(factory) as s:
        first = s.scalar(select(func.min(AuditEvent.id)))
        s.execute(update(AuditEvent).where(AuditEvent.id == first).values(target="rewritten"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and f"event {first}: altered" in broken.output
    get_settings.cache_clear()


def test_the_viewer_filters_and_an_export_is_itself_audited(client, admin_headers, writer_headers):
    page = client.get("/admin/audit?action=user.", headers=admin_headers)
    assert page.status_code == 200 and "Hash chain intact" in page.text and "user.created" in page.text
    exported = client.get("/api/v1/audit/export?format=json", headers=admin_headers)
    assert exported.headers["content-type"].startswith("application/json") and exported.json()[0]["hash"]
    events = client.get("/api/v1/audit/events?action=audit.exported", headers=admin_headers).json()["data"]
    assert events[0]["actor"] == "admin" and events[0]["target"] == "json"
    assert client.get("/api/v1/audit/events", headers=writer_headers).status_code == 403
