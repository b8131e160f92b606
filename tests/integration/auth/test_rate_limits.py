"""Rate limits counted in slices of the window, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from memo_coach.assembly import assemble
from memo_coach.auth import rate_limits
from memo_coach.auth.config import RateLimit
from memo_coach.auth.models import RateLimitBucket
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.errors import RateLimited

LIMIT = RateLimit(per_account=3, per_client=5, window_seconds=60)
T0 = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def sessions(database_url):
    assemble()
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def take(sessions, at: datetime, account: str | None = "ann", address: str = "10.0.0.1") -> None:
    with session_scope(sessions) as session:
        rate_limits.take(session, "submit", account, address, LIMIT, at)


def test_the_account_limit_refuses_the_next_hit_and_says_when_to_come_back(sessions):
    for second in range(3):
        take(sessions, T0 + timedelta(seconds=second * 10))
    with pytest.raises(RateLimited) as refused:
        take(sessions, T0 + timedelta(seconds=30))
    # the first hit's slice (10:00:00-10:00:06) leaves the window at 10:01:06
    assert refused.value.retry_after == 36 and "this account" in str(refused.value)
    with pytest.raises(RateLimited):
        take(sessions, T0 + timedelta(seconds=65))
    take(sessions, T0 + timedelta(seconds=66))  # the oldest slice is forgotten; the rest still count
    with pytest.raises(RateLimited):
        take(sessions, T0 + timedelta(seconds=67))


def test_a_refused_hit_is_not_counted(sessions):
    for _ in range(3):
        take(sessions, T0)
    for _ in range(5):
        with pytest.raises(RateLimited):
            take(sessions, T0 + timedelta(seconds=1))
    take(sessions, T0 + timedelta(seconds=66))  # had the refusals counted, this would be refused too


def test_the_client_limit_counts_every_account_from_one_address(sessions):
    for name in ["ann", "bob", "cy", "dee", "eve"]:
        take(sessions, T0, account=name)
    with pytest.raises(RateLimited) as refused:
        take(sessions, T0, account="fay")
    assert "this client" in str(refused.value)
    take(sessions, T0, account="fay", address="10.0.0.2")


def test_many_hits_stay_a_handful_of_rows_and_old_slices_are_deleted(sessions):
    busy = RateLimit(per_account=100_000, per_client=100_000, window_seconds=60)
    with session_scope(sessions) as session:
        for n in range(600):
            rate_limits.take(session, "submit", "ann", "10.0.0.1", busy, T0 + timedelta(milliseconds=200 * n))
    with session_scope(sessions) as session:
        rows = session.execute(
            select(RateLimitBucket.key, func.count(), func.sum(RateLimitBucket.hits)).group_by(RateLimitBucket.key)
        ).all()
    assert sorted((count, hits) for _, count, hits in rows) == [(11, 330), (11, 330)]  # the last 66 s, in 6 s slices
    with session_scope(sessions) as session:
        rate_limits.take(session, "submit", "ann", "10.0.0.1", busy, T0 + timedelta(seconds=300))
        assert session.scalar(select(func.sum(RateLimitBucket.hits))) == 2


def test_the_daily_purge_removes_slices_of_keys_nobody_checks_any_more(sessions):
    take(sessions, T0, account="gone")
    with session_scope(sessions) as session:
        assert rate_limits.purge_old(session, T0 + timedelta(hours=25)) == 2
        assert session.scalar(select(func.count()).select_from(RateLimitBucket)) == 0


def check_and_count(sessions, counters, at: datetime, failed: bool = True) -> None:
    """What a guarded sign-in does: refuse when full, count only a failure."""
    with session_scope(sessions) as session:
        rate_limits.check(session, counters, "failed sign-ins", LIMIT, at)
    if failed:
        with session_scope(sessions) as session:
            rate_limits.count(session, counters, LIMIT, at)


def test_failed_sign_ins_from_one_address_never_refuse_another(sessions):
    stranger = rate_limits.sign_in_failures("Admin", "203.0.113.5", LIMIT)
    for _ in range(3):  # per_account: 3 failures of one account from one address
        check_and_count(sessions, stranger, T0)
    with pytest.raises(RateLimited) as refused:
        check_and_count(sessions, rate_limits.sign_in_failures("admin", "203.0.113.5", LIMIT), T0)
    assert "for this account from this address" in str(refused.value)
    for _ in range(10):  # the owner, elsewhere, is never refused however often the stranger failed
        check_and_count(sessions, rate_limits.sign_in_failures("admin", "198.51.100.7", LIMIT), T0, failed=False)


def test_an_address_failing_across_accounts_is_refused(sessions):
    for name in ["ann", "bob", "cy", "dee", "eve"]:  # per_client: 5 failures from one address
        check_and_count(sessions, rate_limits.sign_in_failures(name, "203.0.113.5", LIMIT), T0)
    with pytest.raises(RateLimited) as refused:
        check_and_count(sessions, rate_limits.sign_in_failures("fay", "203.0.113.5", LIMIT), T0)
    assert "from this address" in str(refused.value)


def test_the_account_count_of_wrong_passwords_spares_a_session_that_has_not_guessed(sessions):
    for thief in ("s1", "s2", "s3"):  # per_account 3: the account is full
        check_and_count(sessions, rate_limits.password_failures("ann", thief, LIMIT), T0)
    with pytest.raises(RateLimited) as refused:
        check_and_count(sessions, rate_limits.password_failures("ann", "s1", LIMIT), T0)
    assert "for this account" in str(refused.value)
    check_and_count(sessions, rate_limits.password_failures("ann", "owner", LIMIT), T0, failed=False)


def test_a_chosen_name_cannot_take_another_pairs_key():
    neighbour = rate_limits.sign_in_failures("b", "2001:db8::1:a", LIMIT)[0].key
    chosen = rate_limits.sign_in_failures("a:b", "2001:db8::1", LIMIT)[0].key
    assert neighbour != chosen
