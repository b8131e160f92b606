"""stderr: short human lines on a terminal, JSON lines elsewhere or when asked; never raw colour codes
where they would not show, and never uvicorn's colour-coded copy of a message inside the JSON."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import re
import subprocess
import sys
import textwrap

import pytest

from memo_coach.observability.logs import JsonFormatter, TextFormatter, stderr_formatter

ESC = "\x1b"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def request_record(level: int = logging.INFO) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "memo_coach.access", "levelno": level, "levelname": logging.getLevelName(level), "msg": "request"}
    )
    record.__dict__.update(method="GET", route="/ops", status=200, duration_ms=12.5, user_id=1)
    return record


def test_auto_is_text_on_a_terminal_and_json_in_a_pipe(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert isinstance(stderr_formatter("auto", Terminal()), TextFormatter)
    assert isinstance(stderr_formatter("auto", io.StringIO()), JsonFormatter)
    assert isinstance(stderr_formatter("json", Terminal()), JsonFormatter)
    assert isinstance(stderr_formatter("text", io.StringIO()), TextFormatter)


def test_a_request_reads_as_one_short_line():
    line = TextFormatter().format(request_record())
    assert re.fullmatch(r"\d\d:\d\d:\d\d INFO  GET /ops 200 12.5 ms user_id=1", line), line


def test_colour_only_where_the_terminal_shows_it(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert ESC not in stderr_formatter("auto", Terminal()).format(request_record(logging.WARNING))
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in stderr_formatter("auto", Terminal()).format(request_record(logging.WARNING))
    monkeypatch.delenv("NO_COLOR")
    assert ESC in stderr_formatter("auto", Terminal()).format(request_record(logging.WARNING))
    assert ESC not in stderr_formatter("text", io.StringIO()).format(request_record(logging.WARNING))


def test_uvicorns_coloured_copy_of_a_message_stays_out_of_the_json():
    record = logging.makeLogRecord({"name": "uvicorn.error", "msg": "Started server process [7]", "levelname": "INFO"})
    record.color_message = "Started server process [\x1b[36m%d\x1b[0m]"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Started server process [7]" and "color_message" not in entry
    assert ESC not in TextFormatter().format(record)


SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from memo_coach.observability.logs import configure_logging
    from memo_coach.settings import Settings
    configure_logging(Settings(data_dir=sys.argv[1]))
    logging.getLogger("memo_coach.jobs").info("evaluation %d done in %.1f s", 42, 1.2)
    """
)


@pytest.mark.parametrize("on_terminal", [True, False])
def test_a_real_process_prints_text_to_a_terminal_and_json_to_a_pipe(tmp_path, on_terminal):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMO_COACH_")} | {"TERM": "dumb"}
    command = [sys.executable, "-c", SCRIPT, str(tmp_path)]
    if on_terminal:
        leader, follower = pty.openpty()
        subprocess.run(command, stderr=follower, env=env, check=True, timeout=60)
        os.close(follower)
        out = os.read(leader, 65536).decode()
        os.close(leader)
        assert re.search(r"^\d\d:\d\d:\d\d INFO  evaluation 42 done in 1.2 s\r?$", out, re.M), out
        assert "{" not in out and ESC not in out
    else:
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True, timeout=60)
        assert json.loads(done.stderr.splitlines()[-1])["message"] == "evaluation 42 done in 1.2 s"
    # The file is JSON either way: what a collector and the log search read.
    logged = (tmp_path / "logs" / "app.log").read_text().splitlines()
    assert json.loads(logged[-1])["message"] == "evaluation 42 done in 1.2 s"
