"""Applying, rolling back, approving and importing configuration: versions, audit and concurrency."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from memo_coach.audit import verify_chain
from memo_coach.audit.models import AuditEvent
from memo_coach.config_store import archive, changes, versions
from memo_coach.config_store.loader import ConfigError
from memo_coach.db.engine import session_scope
from memo_coach.errors import Conflict, Forbidden, InvalidInput


def active_text(sessions, name):
    with session_scope(sessions) as s:
        return versions.active_version(s, name).content


def change(sessions, name, old, new, author="alice", base=None):
    with session_scope(sessions) as s:
        text = versions.active_version(s, name).content.replace(old, new, 1)
        return changes.request_change(s, name, text, author=author, reason=f"{old} -> {new}", base_version=base)


def audit_actions(sessions):
    with session_scope(sessions) as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def sessions_any_db(tmp_path, database_url):
    """Both SQLite and PostgreSQL, for the one path that touches every table."""
    from memo_coach.db.engine import make_engine, make_session_factory
    from tests.support.helpers import initialise, make_settings

    settings = make_settings(tmp_path, database_url)
    initialise(settings)
    engine = make_engine(settings.sqlalchemy_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_a_valid_change_is_applied_rolled_back_and_audited(sessions_any_db):
    sessions = sessions_any_db
    original = active_text(sessions, "llm")
    applied = change(sessions, "llm", "temperature: 0.2", "temperature: 0.5").version
    assert (applied.number, applied.author) == (2, "alice")
    assert "-temperature: 0.2\n+temperature: 0.5\n" in applied.diff

    with session_scope(sessions) as s:
        back = changes.rollback(s, "llm", 1, author="bob", reason="too creative", base_version=2).version
    assert back.number == 3 and back.reason == "rollback to v1: too creative"
    assert active_text(sessions, "llm") == original
    with session_scope(sessions) as s:
        assert [v.number for v in versions.history(s, "llm")] == [3, 2, 1]
        assert verify_chain(s) == (True, None)
    assert audit_actions(sessions)[-3:] == [
        ("alice", "config.applied", "llm v2"),
        ("bob", "config.rollback_requested", "llm v1"),
        ("bob", "config.applied", "llm v3"),
    ]


def test_the_second_of_two_edits_from_the_same_version_is_refused_as_stale(sessions):
    change(sessions, "llm", "max_retries: 2", "max_retries: 3", base=1)
    with pytest.raises(Conflict) as caught:
        change(sessions, "llm", "max_tokens: 4000", "max_tokens: 5000", author="bob", base=1)
    assert caught.value.code == "stale_version" and caught.value.details == {"active_version": 2, "base_version": 1}
    assert "max_retries: 3" in active_text(sessions, "llm")


def test_an_invalid_change_is_refused_and_the_active_version_stays(sessions):
    before = active_text(sessions, "rubric")
    with pytest.raises(ConfigError, match="total_weight"):
        change(sessions, "rubric", "total_weight: 100", "total_weight: 99")
    assert active_text(sessions, "rubric") == before


def test_the_same_content_again_is_not_a_new_version(sessions):
    with session_scope(sessions) as s, pytest.raises(InvalidInput, match="already has this content"):
        changes.request_change(s, "auth", active_text(sessions, "auth"), author="alice", reason="again")


def test_an_evaluation_in_flight_keeps_the_snapshot_it_started_with(sessions):
    cache = versions.ConfigCache()
    with session_scope(sessions) as s:
        before = cache.current(s)
    change(sessions, "llm", "temperature: 0.2", "temperature: 0.7")
    with session_scope(sessions) as s:
        after = cache.current(s)
    assert before.llm.temperature == 0.2 and after.llm.temperature == 0.7
    assert before.version_ids["llm"] != after.version_ids["llm"]


def test_under_the_two_person_rule_a_change_waits_for_a_different_admin(sessions):
    change(sessions, "auth", "require_approval: false", "require_approval: true")
    proposal = change(sessions, "llm", "temperature: 0.2", "temperature: 0.4").proposal
    assert proposal is not None and "temperature: 0.2" in active_text(sessions, "llm")

    with session_scope(sessions) as s, pytest.raises(Forbidden, match="different admin"):
        changes.approve(s, proposal.id, "alice")
    with session_scope(sessions) as s:
        version = changes.approve(s, proposal.id, "bob")
        assert version.author == "alice" and "approved by bob" in version.reason
    assert "temperature: 0.4" in active_text(sessions, "llm")
    with session_scope(sessions) as s, pytest.raises(Conflict, match="already approved"):
        changes.approve(s, proposal.id, "carol")
    assert ("bob", "config.approved", f"llm proposal {proposal.id}") in audit_actions(sessions)


def test_approving_a_proposal_overtaken_by_another_change_is_stale(sessions):
    change(sessions, "auth", "require_approval: false", "require_approval: true")
    first = change(sessions, "llm", "temperature: 0.2", "temperature: 0.4").proposal
    second = change(sessions, "llm", "max_retries: 2", "max_retries: 4").proposal
    with session_scope(sessions) as s:
        changes.approve(s, second.id, "bob")
    with session_scope(sessions) as s, pytest.raises(Conflict) as caught:
        changes.approve(s, first.id, "bob")
    assert caught.value.code == "stale_version"


def test_the_preview_validates_and_shows_score_changes_without_applying(sessions):
    text = active_text(sessions, "rubric")
    lines = text.splitlines(keepends=True)
    weights = [i for i, line in enumerate(lines) if line.strip() == "weight: 20"]
    lines[weights[0]] = lines[weights[0]].replace("20", "5")
    lines[weights[1]] = lines[weights[1]].replace("20", "35")
    with session_scope(sessions) as s:
        preview = changes.preview(s, "rubric", "".join(lines))
        broken = changes.preview(s, "rubric", text.replace("total_weight: 100", "total_weight: 1"))
    assert preview["valid"] and preview["dry_run"]["changed"] > 0
    moved = [x for x in preview["dry_run"]["samples"] if x["overall"]["change"] != 0]
    assert moved and all(
        x["overall"]["proposed"] == pytest.approx(x["overall"]["active"] + x["overall"]["change"]) for x in moved
    )
    assert not broken["valid"] and broken["problems"][0]["layer"] == "semantics"
    assert active_text(sessions, "rubric") == text


def test_an_exported_archive_brings_the_configuration_back(sessions):
    with session_scope(sessions) as s:
        data = archive.export_archive(s)
    change(sessions, "llm", "temperature: 0.2", "temperature: 0.9")
    with session_scope(sessions) as s:
        outcomes = archive.import_archive(s, data, author="alice", reason="restore")
    assert [o.version.name for o in outcomes] == ["llm"]
    assert "temperature: 0.2" in active_text(sessions, "llm")


def test_an_archive_with_one_bad_file_changes_nothing(sessions):
    with session_scope(sessions) as s:
        data = archive.export_archive(s)
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            text = src.read(info).decode()
            text = text.replace("temperature: 0.2", "temperature: 0.6").replace("session_hours: 12", "sesion_hours: 12")
            dst.writestr(info.filename, text)
    with session_scope(sessions) as s, pytest.raises(ConfigError, match="did you mean 'session_hours'"):
        archive.import_archive(s, buffer.getvalue(), author="alice", reason="restore")
    assert "temperature: 0.2" in active_text(sessions, "llm")
    with session_scope(sessions) as s, pytest.raises(InvalidInput, match="not a zip"):
        archive.import_archive(s, b"not a zip", author="alice", reason="restore")


def test_two_edits_racing_from_the_same_version_never_both_win(sessions_any_db):
    """Real threads, each with its own connection: one edit applies, the other is refused as stale."""
    sessions = sessions_any_db
    barrier = threading.Barrier(2)

    def edit(old, new):
        barrier.wait()
        try:
            change(sessions, "llm", old, new, author=new, base=1)
            return "applied"
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(edit, ["max_retries: 2", "max_tokens: 4000"], ["max_retries: 3", "max_tokens: 5000"]))
    assert sorted(results) == ["applied", "stale_version"]
    with session_scope(sessions) as s:
        assert [v.number for v in versions.history(s, "llm")] == [2, 1]
