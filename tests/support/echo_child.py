"""A tiny child for the tests of memo_coach.child_process: after saying it is ready it says
{"pid": its pid}, then answers each request with the request itself, printing stray text each time.

ECHO_CHILD_WIRE picks the framing ("json", else pickle frames); with ECHO_CHILD_SILENT_PIDFILE it
writes its pid to that file and never says it is ready."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from memo_coach.child_process import JSON_LINES, PICKLE_FRAMES, ParentPipes


def main() -> None:
    parent = ParentPipes(JSON_LINES if os.environ.get("ECHO_CHILD_WIRE") == "json" else PICKLE_FRAMES)
    if pidfile := os.environ.get("ECHO_CHILD_SILENT_PIDFILE"):
        Path(pidfile).write_text(str(os.getpid()))
        sys.stdin.buffer.read()
        return
    print("stray text, which must not reach the parent")
    parent.ready()
    parent.answer({"pid": os.getpid()})
    for request in parent.requests():
        print("more stray text", flush=True)
        parent.answer(request)


if __name__ == "__main__":
    main()
