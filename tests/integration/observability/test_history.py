"""Metric history: storage stays bounded under downsampling, rollups are exact means, reports read it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.observability.history.capacity import capacity_report
from memo_coach.observability.history.degradation import degradation_report
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import DEFAULT_TIERS, RAW, Tier, downsample

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
SCALED = (Tier(RAW, timedelta(minutes=10)), Tier(60, timedelta(hours=1)), Tier(300, timedelta(hours=6)))


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def sqlite_sessions(sqlite_url):
    engine = make_engine(sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


def rows(session, resolution=None) -> int:
    query = select(func.count()).select_from(MetricSample)
    if resolution is not None:
        query = query.where(MetricSample.resolution == resolution)
    return session.scalar(query)


def add(session, ts, name, value, resolution=RAW, replica="r1", label=""):
    session.add(MetricSample(ts=ts, resolution=resolution, replica=replica, name=name, labels=label, value=value))


def simulate(sessions, start_tick: int, ticks: int, tiers=SCALED) -> datetime:
    """Two series sampled every 15 s; downsampled every 5 minutes, like the sampler does."""
    now = T0
    for batch in range(start_tick, start_tick + ticks, 20):
        with session_scope(sessions) as s:
            for tick in range(batch, batch + 20):
                now = T0 + timedelta(seconds=15 * tick)
                add(s, now, "latency_p95_s", float(tick))
                add(s, now, "requests_per_s", 1.0)
        with session_scope(sessions) as s:
            downsample(s, now + timedelta(seconds=1), tiers)
    return now


def test_storage_stays_bounded_however_long_it_runs(sqlite_sessions):
    # 12 simulated hours at 15 s; tiers scaled down (10 min raw, 1 h of 1-minute, 6 h of 5-minute) so
    # the test runs in seconds while crossing every retention boundary twice.
    bound = 2 * (10 * 4 + 1 + 60 + 1 + 6 * 12 + 1)  # 2 series x (raw + 1-minute + 5-minute points kept)
    simulate(sqlite_sessions, 0, 6 * 240)
    with session_scope(sqlite_sessions) as s:
        at_six_hours = rows(s)
    simulate(sqlite_sessions, 6 * 240, 6 * 240)
    with session_scope(sqlite_sessions) as s:
        at_twelve_hours = rows(s)
        assert rows(s, RAW) <= 2 * 41 and rows(s, 60) <= 2 * 61 and rows(s, 300) <= 2 * 73
    assert at_twelve_hours <= bound and at_six_hours <= bound
    assert abs(at_twelve_hours - at_six_hours) <= 4  # flat: nothing accumulates


def test_the_default_policy_bounds_a_year_to_a_known_size():
    per_series = sum(int(t.keep.total_seconds() // (t.resolution or 15)) for t in DEFAULT_TIERS)
    assert per_series == 5760 + 8640 + 8760  # a day of 15 s, 30 days of 5 minutes, a year of hours


def test_rollups_are_exact_means_and_run_once(sessions):
    with session_scope(sessions) as s:
        for i in range(20):  # 5 minutes of 15 s samples, values 0..19
            add(s, T0 + timedelta(seconds=15 * i), "latency_p95_s", float(i))
    now = T0 + timedelta(minutes=5, seconds=1)
    with session_scope(sessions) as s:
        assert downsample(s, now) == 1
    with session_scope(sessions) as s:
        assert downsample(s, now) == 0  # already rolled up: never twice
        [five] = s.scalars(select(MetricSample).where(MetricSample.resolution == 300)).all()
        assert five.value == pytest.approx(9.5) and five.ts == T0


def test_each_tier_forgets_what_is_past_its_retention(sqlite_sessions):
    now = T0 + timedelta(days=400)
    with session_scope(sqlite_sessions) as s:
        add(s, now - timedelta(hours=25), "database_bytes", 1.0)
        add(s, now - timedelta(hours=1), "database_bytes", 2.0)
        add(s, now - timedelta(days=31), "database_bytes", 3.0, resolution=300)
        add(s, now - timedelta(days=366), "database_bytes", 4.0, resolution=3600)
        add(s, now - timedelta(days=200), "database_bytes", 5.0, resolution=3600)
    with session_scope(sqlite_sessions) as s:
        downsample(s, now)
        kept = {(r.resolution, r.value) for r in s.scalars(select(MetricSample))}
    assert (RAW, 1.0) not in kept and (RAW, 2.0) in kept  # raw: one day
    assert (300, 1.0) in kept  # the old raw sample was rolled up before it was dropped
    assert (300, 3.0) not in kept and (3600, 4.0) not in kept and (3600, 5.0) in kept


def test_degradation_flags_a_slower_hour_than_last_week(sqlite_sessions):
    now = T0 + timedelta(days=8)
    with session_scope(sqlite_sessions) as s:
        for i in range(12):
            add(s, now - timedelta(days=7, minutes=55 - 5 * i), "latency_p95_s", 0.1, resolution=300)
            add(s, now - timedelta(days=7, minutes=55 - 5 * i), "error_rate", 0.0, resolution=300)
        for i in range(200):
            add(s, now - timedelta(seconds=15 * (i + 1)), "latency_p95_s", 0.4)
            add(s, now - timedelta(seconds=15 * (i + 1)), "error_rate", 0.001)
    with session_scope(sqlite_sessions) as s:
        report = degradation_report(s, now, latency_factor=1.5, error_factor=2.0)
    latency, errors = report["checks"]
    assert latency["regressed"] and latency["ratio"] == pytest.approx(4.0)
    assert not errors["regressed"]  # 0.1 % is below the floor where a ratio means anything
    assert report["regressed"]


def test_degradation_without_last_week_says_so(sqlite_sessions):
    with session_scope(sqlite_sessions) as s:
        report = degradation_report(s, T0, 1.5, 2.0)
    assert not report["regressed"] and all(c["note"] for c in report["checks"])


def test_capacity_projects_when_the_disk_fills(sqlite_sessions):
    now = T0 + timedelta(days=10)
    gib = 2**30
    with session_scope(sqlite_sessions) as s:
        for hour in range(240):  # ten days, losing 1 GiB of free space and growing the database 10 MiB a day
            ts = T0 + timedelta(hours=hour)
            add(s, ts, "disk_free_bytes", 50 * gib - hour / 24 * gib, resolution=3600)
            add(s, ts, "database_bytes", 100 * 2**20 + hour / 24 * 10 * 2**20, resolution=3600)
    with session_scope(sqlite_sessions) as s:
        report = capacity_report(s, now)
    assert report["disk_free_bytes"]["growth_per_day"] == pytest.approx(-gib, rel=1e-6)
    assert report["disk_full_in_days"] == pytest.approx(40.0, abs=0.1)
    assert report["database_bytes"]["growth_per_day"] == pytest.approx(10 * 2**20, rel=1e-6)
    assert report["evaluations"]["last_30_days"] == 0


def test_capacity_without_history_projects_nothing(sqlite_sessions):
    with session_scope(sqlite_sessions) as s:
        report = capacity_report(s, T0)
    assert report["disk_full_in_days"] is None and report["database_bytes"]["growth_per_day"] is None


def test_capacity_projects_nothing_from_minutes_of_history(sqlite_sessions):
    """Seven minutes after install a straight line through a handful of samples must not say 'full in a day'."""
    with session_scope(sqlite_sessions) as s:
        for i in range(28):  # 15 s samples, free space falling fast while the install writes its files
            add(s, T0 + timedelta(seconds=15 * i), "disk_free_bytes", 10 * 2**30 - i * 50 * 2**20)
    with session_scope(sqlite_sessions) as s:
        report = capacity_report(s, T0 + timedelta(minutes=7))
    assert report["disk_full_in_days"] is None
    assert report["disk_full_confidence"] == "none"
    assert report["disk_full_not_projected"] == "not enough history yet: 6.8 minutes of 3 days needed"


def evaluations_at(session, times) -> None:
    from memo_coach.auth.models import User
    from memo_coach.coaching.models import Evaluation, Memo

    writer = User(username="w", password_hash="x", role="writer")
    session.add(writer)
    session.flush()
    memo = Memo(user_id=writer.id, title="t")
    session.add(memo)
    session.flush()
    session.add_all(Evaluation(memo_id=memo.id, user_id=writer.id, text_content="x", created_at=t) for t in times)


def test_database_and_evaluation_growth_wait_for_history_like_the_disk(sqlite_sessions):
    """Ten minutes of a new install writing its first rows is not "growing 428 MB a day"."""
    with session_scope(sqlite_sessions) as s:
        for i in range(40):  # 15 s samples over ten minutes, the database growing fast
            add(s, T0 + timedelta(seconds=15 * i), "database_bytes", 1e6 + i * 1e5)
        evaluations_at(s, [T0 + timedelta(minutes=2 * i) for i in range(5)])
    with session_scope(sqlite_sessions) as s:
        report = capacity_report(s, T0 + timedelta(minutes=10))
    database, evaluations = report["database_bytes"], report["evaluations"]
    assert database["latest"] == pytest.approx(4.9e6)
    assert database["growth_per_day"] is None and database["in_30_days"] is None
    assert database["not_projected"] == "not enough history yet: 9.8 minutes of 3 days needed"
    assert evaluations["last_30_days"] == 5 and evaluations["growth_per_day"] is None
    assert evaluations["not_projected"] == "not enough history yet: 10 minutes of 3 days needed"


def test_evaluation_growth_is_projected_once_there_is_history(sqlite_sessions):
    with session_scope(sqlite_sessions) as s:  # one more evaluation each day: 1, 2, ... 10
        evaluations_at(s, [T0 + timedelta(days=day, minutes=n + 1) for day in range(10) for n in range(day + 1)])
    with session_scope(sqlite_sessions) as s:
        evaluations = capacity_report(s, T0 + timedelta(days=10))["evaluations"]
    assert evaluations["not_projected"] is None
    assert evaluations["growth_per_day"] == pytest.approx(1.0, abs=0.05)


def test_capacity_does_not_project_a_noisy_history(sqlite_sessions):
    gib = 2**30
    with session_scope(sqlite_sessions) as s:
        for hour in range(240):  # ten days going up and down, no trend
            add(s, T0 + timedelta(hours=hour), "disk_free_bytes", (50 + (5 if hour % 2 else -5)) * gib, resolution=3600)
    with session_scope(sqlite_sessions) as s:
        report = capacity_report(s, T0 + timedelta(days=10))
    assert report["disk_full_in_days"] is None and report["disk_full_confidence"] == "low"


def test_error_totals_by_type_match_the_errors_that_happened(sqlite_sessions):
    """One 500 a minute for an hour is 60 errors in the 24 h view, not 60 times the samples in a bucket."""
    start = T0
    with session_scope(sqlite_sessions) as s:
        for tick in range(240):  # an hour of 15 s samples; every fourth saw one error
            ts = start + timedelta(seconds=15 * tick)
            add(s, ts, "requests_per_s", 1.0)
            if tick % 4 == 0:
                add(s, ts, "errors_per_s", 1 / 15, label="http_500")
    with session_scope(sqlite_sessions) as s:
        downsample(s, start + timedelta(hours=1, seconds=1))
    from memo_coach.observability.history.series import WINDOWS, labelled_totals

    with session_scope(sqlite_sessions) as s:
        day = labelled_totals(s, "errors_per_s", WINDOWS["24h"], start + timedelta(hours=1, seconds=1), 15)
        hour = labelled_totals(s, "errors_per_s", WINDOWS["1h"], start + timedelta(hours=1), 15)
    assert day["http_500"] == pytest.approx(60, rel=1e-6)
    assert hour["http_500"] == pytest.approx(60, rel=1e-6)
