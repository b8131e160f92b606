"""A shell is an operator of the host, not an admin (issue 24, finding 3): what it does is recorded as
`shell:<unix account>`, it cannot claim an author's name, and it approves only with an admin who proves
it is them (password, and code when two-step sign-in is on)."""

from __future__ import annotations

import os
import pwd
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from memo_coach.audit.models import AuditEvent
from memo_coach.auth import totp, users
from memo_coach.auth.passwords import hash_password
from memo_coach.auth.roles import Role
from memo_coach.config_store import changes, versions
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from tests.support.helpers import initialise, make_settings

SHELL = f"shell:{pwd.getpwuid(os.geteuid()).pw_name}"
BOB = "bobs-own-long-passphrase"


@pytest.fixture
def settings(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    return settings


@pytest.fixture
def sessions(settings):
    engine = make_engine(settings.sqlalchemy_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def shell(command_line):
    return command_line


@pytest.fixture
def proposal(sessions) -> int:
    """Under the two-person rule: bob, a second admin with his own password, and admin's pending change."""
    with session_scope(sessions) as s:
        bob, initial = users.create_user(s, "bob", Role.admin, None, actor="admin")
        users.change_own_password(s, bob, initial, BOB, keep_token_hash=None)
        auth = versions.active_version(s, "auth").content
        changes.request_change(s, "auth", auth.replace("require_approval: false", "require_approval: true"),
                               author="admin", reason="two people")  # fmt: skip
    with session_scope(sessions) as s:
        llm = versions.active_version(s, "llm").content.replace("temperature: 0.2", "temperature: 0.3")
        return changes.request_change(s, "llm", llm, author="admin", reason="warmer").proposal.id


def status_of(sessions, pid: int) -> str:
    with session_scope(sessions) as s:
        return changes.get_proposal(s, pid).status


def test_naming_an_admin_is_not_enough_to_approve_as_them(shell, sessions, proposal):
    wrong = shell("config", "approve", proposal, "--as", "bob", input="not-his-password\n")
    assert wrong.exit_code == 1 and "bob: wrong password" in wrong.output
    assert status_of(sessions, proposal) == "pending"

    approved = shell("config", "approve", proposal, "--as", "bob", input=f"{BOB}\n")
    assert approved.exit_code == 0 and "applied llm v2" in approved.output, approved.output
    with session_scope(sessions) as s:
        confirmed = s.scalar(select(AuditEvent).where(AuditEvent.action == "auth.confirmed_in_shell"))
        assert (confirmed.actor, confirmed.target) == ("bob", SHELL)
        assert changes.get_proposal(s, proposal).decided_by == "bob"


def test_the_author_of_a_change_cannot_approve_it_from_the_shell_either(shell, sessions, proposal):
    with session_scope(sessions) as s:
        admin = users.get_user(s, "admin")
        admin.password_hash, admin.must_change_password = hash_password("admins-own-passphrase"), False
    own = shell("config", "approve", proposal, "--as", "admin", "--password", "admins-own-passphrase")
    assert own.exit_code == 1 and "different admin" in own.output
    assert status_of(sessions, proposal) == "pending"


def test_an_admin_still_on_a_password_someone_else_set_cannot_approve(shell, sessions, proposal):
    with session_scope(sessions) as s:
        carol, _ = users.create_user(s, "carol", Role.admin, "carol-initial-passphrase", actor="admin")
        carol.is_active = True  # as if another admin had approved her
    refused = shell("config", "approve", proposal, "--as", "carol", "--password", "carol-initial-passphrase")
    assert refused.exit_code == 1 and "choose their own password" in refused.output


def test_with_two_step_sign_in_the_code_is_needed_too(shell, sessions, proposal):
    with session_scope(sessions) as s:
        bob = users.get_user(s, "bob")
        secret = totp.start(s, bob)["secret"]
        totp.confirm(s, bob, pyotp.TOTP(secret).now())
    without = shell("config", "approve", proposal, "--as", "bob", "--password", BOB)
    assert without.exit_code == 1 and status_of(sessions, proposal) == "pending"
    next_code = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    with_code = shell("config", "approve", proposal, "--as", "bob", "--password", BOB, "--code", next_code)
    assert with_code.exit_code == 0, with_code.output


def test_changes_from_the_shell_are_recorded_as_the_shell_account(shell, sessions, settings, tmp_path):
    draft = tmp_path / "llm.yaml"
    draft.write_text((settings.config_dir / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 3"))
    claimed = shell("config", "set", "llm", "--file", draft, "--reason", "x", "--author", "alice")
    assert claimed.exit_code == 2 and "--author" in claimed.output
    assert shell("config", "set", "llm", "--file", draft, "--reason", "one more retry").exit_code == 0
    with session_scope(sessions) as s:
        assert versions.active_version(s, "llm").author == SHELL


def test_under_the_rule_an_admins_reset_from_the_shell_waits(shell, sessions, proposal):
    waits = shell("users", "reset-password", "bob")
    assert waits.exit_code == 0 and "waits for an admin's approval" in waits.output
    with session_scope(sessions) as s:
        assert users.get_user(s, "bob").must_change_password is False  # bob's own password still stands
