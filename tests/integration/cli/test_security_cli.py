"""`memo-coach security` and `memo-coach privacy` against a real database."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def cli(admin_password, command_line):
    return command_line


def test_the_review_access_review_sign_off_and_compliance_commands(cli, admin_password, tmp_path):
    review = cli("security", "review")
    assert "[medium] session cookies are sent over plain HTTP" in review.output and "fix:" in review.output
    started = cli("security", "access-review", "--json")
    review_id = json.loads(started.output)["id"]
    sign_off = ["security", "sign-off", str(review_id), "--admin", "admin", "--note", "checked", "--password"]
    # A shell is no admin: naming one is not enough, the admin proves they are present.
    forged = cli(*sign_off, "a-guess-at-the-password")
    assert forged.exit_code == 1 and "wrong password" in forged.output
    signed = cli(*sign_off, admin_password)
    assert signed.exit_code == 0, signed.output
    out = tmp_path / "compliance.json"
    assert cli("security", "compliance", "--format", "json", "--output", str(out)).exit_code == 0
    items = {i["item"]: i["status"] for i in json.loads(out.read_text())["items"]}
    assert items["access review signed"] == "ok"
    assert "| audit chain intact | ok |" in cli("security", "compliance").output


def test_privacy_export_writes_a_private_file(cli, tmp_path):
    out = tmp_path / "admin.json"
    assert cli("privacy", "export", "admin", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text())["account"]["username"] == "admin"
    assert out.stat().st_mode & 0o077 == 0
