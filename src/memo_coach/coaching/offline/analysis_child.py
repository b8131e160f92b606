"""The analysis process's side (see process.py): memos in on standard input, evaluations out on
standard output, one at a time, until the server closes its end (or dies: the pipe closes then too).

Every message is a 4-byte big-endian length and a pickle. Only the server that started this process
writes to it.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from typing import BinaryIO

from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.offline.readability import ensure_dictionary
from memo_coach.coaching.rubric import Rubric

HEADER = struct.Struct("!I")
RUBRICS_KEPT = 4  # rubric versions kept unpickled here, and pickled in the server


def read_message(stream: BinaryIO) -> object | None:
    """The next message, or None once the other end is closed."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_message(stream: BinaryIO, message: object) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, and the closed pipe this
    ensure_dictionary()
    evaluator = OfflineEvaluator(background_load=False)
    rubrics: dict[bytes, Rubric] = {}
    # Answers go to a private copy of standard output; anything else printed lands on standard error.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    write_message(answers, "ready")
    while (request := read_message(requests)) is not None:
        memo, pickled_rubric = request
        if pickled_rubric not in rubrics:
            if len(rubrics) >= RUBRICS_KEPT:
                rubrics.clear()
            rubrics[pickled_rubric] = pickle.loads(pickled_rubric)
        try:
            answer = ("ok", evaluator.evaluate(memo, rubrics[pickled_rubric]))
        except Exception as exc:  # the server raises it, as it would have raised analysing itself
            answer = ("error", f"{type(exc).__name__}: {exc}")
        write_message(answers, answer)


if __name__ == "__main__":
    main()
