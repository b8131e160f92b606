"""The daily security summary names real accounts only: a name that is no account may be a password."""

from __future__ import annotations

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.security.summary import security_summary, unknown_sign_in_names
from tests.support.helpers import create_user

TYPED_PASSWORD = "Tr0ub4dor&3-Horse"


def test_failures_for_names_that_are_no_account_are_counted_not_shown(client, app, admin_headers):
    create_user(client, admin_headers, "Writer-One")
    for username in (TYPED_PASSWORD, TYPED_PASSWORD, "writer-one", "nobody-here"):
        client.post("/api/v1/auth/login", json={"username": username, "password": "wrong-password-here"})
    with session_scope(app.state.runtime.sessions) as session:
        summary = security_summary(session, utcnow())
        unknown = unknown_sign_in_names(session)
    assert TYPED_PASSWORD.lower() not in str(summary).lower()
    assert summary["top_accounts"] == [("writer-one", 1)]
    counts = [summary[k] for k in ("failed_logins", "unknown_account_failures", "unknown_account_names")]
    assert counts == [4, 3, 2]
    assert unknown == {TYPED_PASSWORD.lower(), "nobody-here"}
