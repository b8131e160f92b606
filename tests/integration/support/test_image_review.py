"""The monthly technology review reports the container image's age and security updates, from the package
list the image records at its build and apt's lists named by the settings (crafted here, no network)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from memo_coach.db.base import utcnow
from tests.integration.support.test_reviews import run
from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, database_url):
    built = (utcnow() - timedelta(days=45)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tmp_path / "image-packages.txt").write_text(
        f"# base-created: {built}\n# suite: bookworm\n# image-built: {built}\n"
        "libssl3\t3.0.15-1~deb12u1\tamd64\nbash\t5.2.15-2+b7\tamd64\n"
    )
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages").write_text(
        "Package: libssl3\nVersion: 3.0.16-1~deb12u1\n\nPackage: bash\nVersion: 5.2.15-2+b7\n\n"
    )
    return make_settings(tmp_path, database_url, image_packages=tmp_path / "image-packages.txt", apt_lists_dir=lists)


def test_the_technology_review_reports_the_image_and_its_security_updates(app):
    outcome = run(app, "technology_review")
    image = outcome["report"]["image"]
    assert image["security_updates"] == [
        {"package": "libssl3", "installed": "3.0.15-1~deb12u1", "candidate": "3.0.16-1~deb12u1"}
    ]
    assert image["base_age_days"] == 45 and image["max_age_days"] == 30 and image["too_old"] is True
    assert "; image: base 45 days old, 1 security updates; rebuild it; debt due:" in outcome["summary"]
