"""A configuration file refused on disk, then a restart: the server starts on the database's active
version and names the file, exactly as while it was running."""

from __future__ import annotations

import httpx

MEMO = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."


def test_a_restart_with_a_refused_file_serves_and_reports_it(site):
    site.init()
    first = site.serve()
    first.stop()
    (site.config_dir / "rubric.yaml").write_text("criteria: [\n  - id: clarity\n")
    again = site.serve()  # used to exit 1 with "invalid configuration"
    admin = again.sign_in("admin", site.admin_password)
    with again.client() as c:
        assert c.get("/health/ready").status_code == 200
        deadline_checks = 0
        while True:  # the drift watcher looks at the file within a second of the start
            files = c.get("/health/config_files", headers=admin).json()["components"][0]
            if files["status"] == "unhealthy" or deadline_checks > 50:
                break
            deadline_checks += 1
            httpx.get(again.url + "/health", timeout=2)
        assert files["status"] == "unhealthy" and "rubric.yaml refused" in files["reason"]
        writer = again.sign_in("alice")
        done = c.post("/api/v1/evaluations/submit", headers=writer, json={"text_content": MEMO})
        assert done.status_code == 201 and done.json()["data"]["status"] == "completed"
