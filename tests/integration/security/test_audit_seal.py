"""Someone who can write the audit table, but has neither the audit key nor the anchor files, cannot
make a tampered chain verify: not by deleting the newest events, not by rewriting one and recomputing
every later plain hash, not by rewriting the events from before the chain had a key."""

from __future__ import annotations

import json
import logging
import os

import pytest
from sqlalchemy import delete, select, update

from memo_coach import audit
from memo_coach.audit import anchors
from memo_coach.audit.models import AuditEvent
from memo_coach.audit.sealing import SEAL_FIELD, sealed
from memo_coach.audit.verify import chain_report
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups.restore import restore_backup
from memo_coach.maintenance.backups.service import BackupTarget, create_backup
from tests.support.helpers import initialise


@pytest.fixture
def engine(settings):
    initialise(settings)
    engine = make_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def keyed(settings, engine):
    """The app's sessions: they seal what they record and check seals and anchors."""
    return sealed(make_session_factory(engine), settings)


@pytest.fixture
def raw(engine):
    """The attacker's access: the database, without the key or the anchor files."""
    return make_session_factory(engine)


def record_six(keyed) -> list[int]:
    with session_scope(keyed) as s:
        return [audit.record(s, "admin", "user.created", f"user{i}", {"role": "writer"}).id for i in range(6)]


def report(sessions) -> dict:
    with session_scope(sessions) as s:
        return chain_report(s)


def kinds(result: dict) -> list[tuple[int, str]]:
    return [(b["event_id"], b["kind"]) for b in result["breaks"]]


def rewrite_and_recompute(raw, from_id: int, **changes) -> None:
    """What an attacker does: change one event, then recompute every later plain hash and link."""
    with session_scope(raw) as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == from_id).values(**changes))
        events = s.scalars(select(AuditEvent).where(AuditEvent.id >= from_id).order_by(AuditEvent.id)).all()
        prev = s.scalar(select(AuditEvent.hash).where(AuditEvent.id < from_id).order_by(AuditEvent.id.desc()).limit(1))
        for event in events:
            event.prev_hash = prev or audit.GENESIS
            event.hash = audit.digest(event, event.prev_hash)
            prev = event.hash


def test_a_keyed_chain_verifies_and_names_where_its_seals_start(keyed, raw):
    ids = record_six(keyed)
    result = report(keyed)
    assert result["intact"] and result["seals_checked"], result["breaks"]
    assert result["sealed_from_event"] <= ids[0]
    with session_scope(raw) as s:
        assert all(SEAL_FIELD in e.details for e in s.scalars(select(AuditEvent).where(AuditEvent.id.in_(ids))))


def test_deleting_the_newest_events_is_reported_as_truncation(settings, engine, keyed, raw):
    ids = record_six(keyed)
    made = create_backup(BackupTarget.of(settings, engine))
    assert made.audit_head["event_id"] == ids[-1]
    with session_scope(raw) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.id > ids[3]))
    assert report(raw)["intact"], "the shorter chain is consistent in itself: only the anchor can tell"
    result = report(keyed)
    assert not result["intact"]
    assert kinds(result) == [(ids[-1], "truncated")]
    assert f"events after {ids[3]} were removed" in result["breaks"][0]["message"]


def test_a_rewritten_event_with_every_later_plain_hash_recomputed_is_located(keyed, raw):
    ids = record_six(keyed)
    rewrite_and_recompute(raw, ids[2], target="mallory")
    assert report(raw)["intact"], "the plain chain alone is fooled by a recomputation"
    result = report(keyed)
    assert kinds(result) == [(ids[2], "unsealed")]
    assert f"events {ids[2]}..{ids[-1]}" in result["breaks"][0]["message"]


def test_a_rewrite_before_an_anchor_is_also_caught_by_the_anchor(settings, engine, keyed, raw):
    ids = record_six(keyed)
    files = anchors.anchor_files(settings.backups_path)
    anchors.write_anchor(files, anchors.head_anchor(engine, "test"))
    rewrite_and_recompute(raw, ids[1], actor="mallory")
    assert (ids[-1], "rewritten") in kinds(report(keyed))


def test_events_from_before_the_key_are_sealed_at_the_first_start_and_rewriting_them_shows(settings, engine, raw):
    with session_scope(raw) as s:  # what a version without the key wrote
        s.execute(delete(AuditEvent))
    with session_scope(raw) as s:
        old = [audit.record(s, "admin", "user.created", f"old{i}").id for i in range(3)]
    initialise(settings)  # the first start with a key: the unkeyed past is sealed as it stands
    keyed = sealed(make_session_factory(engine), settings)
    with session_scope(keyed) as s:
        epoch = s.scalar(select(AuditEvent).where(AuditEvent.action == "audit.keyed"))
        assert epoch.details["unsealed_events"] == 3 and epoch.prev_hash == s.get(AuditEvent, old[-1]).hash
    assert report(keyed)["intact"]
    rewrite_and_recompute(raw, old[0], target="mallory")
    assert (epoch.id, "unsealed") in kinds(report(keyed))


def test_a_different_key_does_not_verify(settings, engine, keyed):
    record_six(keyed)
    other = settings.model_copy(update={"audit_key": None, "data_dir": settings.data_dir / "elsewhere"})
    result = report(sealed(make_session_factory(engine), other))
    assert not result["intact"] and "audit key" in result["breaks"][-1]["message"]


def test_the_key_is_made_once_private_in_the_data_directory(settings, keyed):
    record_six(keyed)
    path = settings.data_dir / "audit_key"
    assert path.stat().st_mode & 0o077 == 0 and len(path.read_text().strip()) >= 32
    from_env = settings.model_copy(update={"audit_key": None})
    assert from_env.ensure_audit_key() == path.read_text().strip()


def test_a_backup_anchors_the_head_in_its_manifest_the_anchor_file_and_the_log(settings, engine, keyed, caplog):
    ids = record_six(keyed)
    secondary = settings.data_dir.parent / "offsite"
    target = BackupTarget.of(settings.model_copy(update={"backup_secondary_dir": secondary}), engine)
    with caplog.at_level(logging.INFO, logger="memo_coach.audit.anchors"):
        made = create_backup(target)
    with session_scope(keyed) as s:
        head_hash = s.get(AuditEvent, ids[-1]).hash
    assert manifests.find(target.directory, made.id).audit_head["hash"] == head_hash
    for path in anchors.anchor_files(target.directory, secondary):
        assert json.loads(path.read_text().splitlines()[-1])["event_id"] == ids[-1]
    assert anchors.latest_anchor(target.directory / anchors.ANCHOR_FILE).hash == head_hash
    assert not (settings.data_dir / anchors.ANCHOR_FILE).exists() or os.path.samefile(
        settings.data_dir, target.directory
    ), "the anchor is kept outside the database directory"
    [line] = [r for r in caplog.records if r.getMessage() == "audit head anchored"]
    assert (line.audit_event_id, line.audit_head_hash) == (ids[-1], head_hash)


def test_a_restore_takes_the_chain_back_without_a_false_alarm(tmp_path, sqlite_url):
    from tests.support.helpers import make_settings

    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        keyed = sealed(make_session_factory(engine), settings)
        target = BackupTarget.of(settings, engine)
        record_six(keyed)
        made = create_backup(target)
        record_six(keyed)
        create_backup(target)  # anchors a head the restore will take back
        assert restore_backup(target, keyed, made.id, confirmed=True, actor="test")["ok"]
        result = report(keyed)
        assert result["intact"], result["breaks"]
        assert result["latest_anchor"]["rewound_to"] == made.audit_head["event_id"]
    finally:
        engine.dispose()


def test_anchors_a_restore_took_back_no_longer_count():
    def a(event_id, event_hash, rewound_to=None):
        return anchors.Anchor(event_id, event_hash, "2026-12-07T00:00:00+00:00", "t", rewound_to)

    standing = anchors.standing([a(5, "x"), a(9, "y"), a(7, "z", rewound_to=5), a(9, "w")])
    assert [(s.event_id, s.hash) for s in standing] == [(5, "x"), (7, "z"), (9, "w")]
