"""`memo-coach tickets list/show` print the writer's words, never their terminal escape codes."""

from __future__ import annotations

import pytest

from tests.support.helpers import create_user

CLEAR_SCREEN, SET_TITLE, RIGHT_TO_LEFT = "\x1b[2J", "\x1b]0;pwned\x07", "\u202e"


@pytest.fixture
def memo_coach(command_line):
    def invoke(*args: str) -> str:
        result = command_line(*args, color=True)  # as on a terminal, where click strips nothing
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_escape_codes_in_a_ticket_are_written_out_not_obeyed(client, admin_headers, memo_coach):
    writer = create_user(client, admin_headers, "mallory")
    body = {
        "category": "problem",
        "summary": f"Help{CLEAR_SCREEN}\r\nfake line",
        "description": f"before{SET_TITLE}after {RIGHT_TO_LEFT}txt.exe\rOVERWRITTEN",
    }
    ticket = client.post("/api/v1/support/tickets", headers=writer, json=body).json()["data"]
    client.post(f"/api/v1/support/tickets/{ticket['id']}/replies", headers=writer, json={"body": f"more{CLEAR_SCREEN}"})

    listed = memo_coach("tickets", "list")
    assert CLEAR_SCREEN not in listed and "Help\\x1b[2J fake line" in listed

    shown = memo_coach("tickets", "show", str(ticket["id"]))
    for raw in (CLEAR_SCREEN, SET_TITLE, RIGHT_TO_LEFT, "\r"):
        assert raw not in shown, repr(raw)
    assert "before\\x1b]0;pwned\\x07after \\u202etxt.exe\\rOVERWRITTEN" in shown and "more\\x1b[2J" in shown
