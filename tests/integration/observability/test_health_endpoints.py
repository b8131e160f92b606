"""Health: public liveness and readiness, detailed checks for operators, 503 when a critical part fails."""

import pytest

from memo_coach.component_status import DEGRADED, UNHEALTHY, ComponentStatus
from tests.support.helpers import create_user


def test_the_public_answers_are_minimal(client):
    assert client.get("/health").json() == {"status": "healthy", "version": "0.1.0"}
    assert client.get("/health/live").json() == {"status": "alive"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "components": {"database": "healthy", "disk": "healthy", "config": "healthy"},
    }


def test_operators_see_every_component_with_status_latency_and_reason(client, admin_headers):
    report = client.get("/health/detailed", headers=admin_headers).json()
    by_name = {c["name"]: c for c in report["components"]}
    assert set(by_name) == {
        "database",
        "disk",
        "config",
        "llm",
        "auth",
        "evaluations",
        "analysis",
        "scheduler",
        "backups",
        "config_files",
    }
    assert by_name["backups"]["status"] == "degraded"  # nothing verified yet in a fresh database
    assert "memo-coach backup create" in by_name["backups"]["fix"]  # the way forward, next to the warning
    assert by_name["scheduler"]["critical"] is False and by_name["backups"]["critical"] is False
    assert report["status"] == "degraded"
    db = by_name["database"]
    assert db["critical"] and db["latency_ms"] > 0 and db["details"]["size_bytes"] > 0 and "wal_bytes" in db["details"]
    assert {"rubric": 1, "prompt": 1, "llm": 1, "auth": 1}.items() <= by_name["config"]["details"][
        "active_versions"
    ].items()
    assert by_name["auth"]["details"]["active_sessions"] == 1
    assert not by_name["llm"]["critical"] and "offline" in by_name["llm"]["reason"]
    assert by_name["disk"]["details"]["free_bytes"] > 0


@pytest.mark.parametrize("component", ["database", "config", "llm", "auth", "scheduler", "backups", "config_files"])
def test_each_component_has_its_own_page(client, admin_headers, component):
    body = client.get(f"/health/{component}", headers=admin_headers).json()
    assert [c["name"] for c in body["components"]] == [component]


def test_writers_may_not_see_details_and_unknown_components_are_404(client, admin_headers):
    writer = create_user(client, admin_headers, "w1")
    assert client.get("/health/detailed", headers=writer).status_code == 403
    assert client.get("/health/kettle", headers=admin_headers).status_code == 404


def test_a_lost_database_makes_the_replica_not_ready(client, app, admin_headers):
    """Drop the probe table under the running app: the write probe fails, readiness answers 503."""
    with app.state.runtime.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE health_probes")
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "not_ready" and ready.json()["components"]["database"] == UNHEALTHY
    detailed = client.get("/health/database", headers=admin_headers)
    assert detailed.status_code == 503 and "health_probes" in detailed.json()["components"][0]["reason"]


def test_registered_checks_join_and_only_critical_ones_decide_readiness(client, app, admin_headers):
    registry = app.state.runtime.observability.health
    registry.register("mailer", lambda ctx: ComponentStatus("mailer", UNHEALTHY, "SMTP refused the login"))
    registry.register(
        "backups", lambda ctx: ComponentStatus("backups", DEGRADED, "last backup 30 h ago"), critical=True
    )
    assert client.get("/health/ready").status_code == 200  # backups only degraded; the mailer not critical
    detailed = client.get("/health/detailed", headers=admin_headers)
    body = detailed.json()
    assert body["status"] == UNHEALTHY and {"mailer", "backups"} <= {c["name"] for c in body["components"]}
    # A non-critical problem is reported in the body, but the replica still serves: 200, not 503.
    assert detailed.status_code == 200 and body["serving"] is True
    assert client.get("/health/mailer", headers=admin_headers).status_code == 200

    def broken(ctx):
        raise RuntimeError("cannot read the lease table")

    registry.register("backups", broken, critical=True)
    ready = client.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["components"]["backups"] == UNHEALTHY


def test_the_database_check_works_on_both_databases(tmp_path, database_url, monkeypatch):
    """The write probe's upsert on SQLite and PostgreSQL, twice (insert, then update). Not its speed: a
    new engine's first probe connects and compiles, and on a loaded machine that took over the 500 ms
    that make a probe "slow" (degraded), so the threshold is lifted here."""
    from memo_coach.db.engine import make_engine, make_session_factory
    from memo_coach.observability.health import checks
    from memo_coach.observability.health.checks import check_database
    from memo_coach.observability.health.registry import HealthContext
    from tests.support.helpers import make_settings

    monkeypatch.setattr(checks, "SLOW_DATABASE_MS", 60_000)
    engine = make_engine(database_url)
    ctx = HealthContext(make_settings(tmp_path, database_url), engine, make_session_factory(engine))
    try:
        for _ in range(2):
            result = check_database(ctx)
            assert result.status == "healthy" and result.details["size_bytes"] > 0
    finally:
        engine.dispose()


def test_an_active_configuration_that_no_longer_parses_is_unhealthy(client, app, admin_headers):
    with app.state.runtime.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE config_versions SET content = 'criteria: [', checksum = 'broken' WHERE name = 'rubric' AND is_active"
        )
    assert client.get("/health/ready").status_code == 503
    config = client.get("/health/config", headers=admin_headers).json()["components"][0]
    assert config["status"] == UNHEALTHY and config["reason"].startswith("rubric v1:")


def test_little_free_space_is_degraded_not_unready(client, admin_headers, monkeypatch):
    """At 1 % free, writes still succeed: readiness stays 200 and the disk says degraded."""
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")(100 * 2**30, 99 * 2**30, 2**30)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage)
    assert client.get("/health/ready").status_code == 200
    disk = client.get("/health/disk", headers=admin_headers).json()["components"][0]
    assert disk["status"] == "degraded" and disk["reason"] == "99% used (1.07 GB free)"
