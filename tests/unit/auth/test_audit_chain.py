"""The audit trail detects an edited or removed event."""

from sqlalchemy import delete, update

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.db.engine import make_engine, make_session_factory, session_scope


def test_an_intact_chain_verifies_and_an_edit_breaks_it(sqlite_url):
    sessions = make_session_factory(make_engine(sqlite_url))
    with session_scope(sessions) as s:
        for i in range(5):
            audit.record(s, "admin", "user.created", f"user{i}", {"role": "writer"})
    with session_scope(sessions) as s:
        assert audit.verify_chain(s) == (True, None)
        s.execute(update(AuditEvent).where(AuditEvent.id == 3).values(target="someone-else"))
    with session_scope(sessions) as s:
        assert audit.verify_chain(s) == (False, 3)


def test_removing_an_event_breaks_the_chain(sqlite_url):
    sessions = make_session_factory(make_engine(sqlite_url))
    with session_scope(sessions) as s:
        for i in range(4):
            audit.record(s, "cli", "user.disabled", f"user{i}")
        s.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    with session_scope(sessions) as s:
        assert audit.verify_chain(s) == (False, 3)
