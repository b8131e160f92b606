"""Child processes that serve this one over pipes: the offline analyzer's and the LLM SDK's.

A child is a plain `python -m <module>` reading requests on its standard input and writing answers on
its standard output. It ends when its standard input closes, which happens however its parent ends,
kill -9 included, so nothing has to remember to stop it. Before anything else it says it is ready: a
child that cannot start (a broken install, a machine out of memory) is found within a deadline, not
at the first request's timeout.

The two children frame their messages differently: the analyzer exchanges Python objects (rubrics,
results) as length-prefixed pickles, the LLM process JSON lines matched by id, many in flight. A
`Wire` knows only the framing; what a message means is each child's business.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)


class ChildFailed(Exception):
    """The child did not start, died, hung, or could not be written to."""


class Wire(Protocol):
    """The framing of messages on the pipes, the same both ways."""

    ready: object  # the child's first message

    def encode(self, message: object) -> bytes: ...

    def messages(self, stream: BinaryIO) -> Iterator[object]:
        """Every message on `stream`, blocking, until the writer closes it."""
        ...

    def read(self, fd: int, deadline: float) -> object:
        """The next message on `fd`; TimeoutError past `deadline` (time.monotonic()), EOFError at its end.
        Reads no byte beyond the message, so `messages` can take over the stream afterwards."""
        ...


class PickleFrames:
    """A 4-byte big-endian length, then a pickle. Unpickling runs code: both ends are this
    application, and only the parent that started a child writes to it."""

    header = struct.Struct("!I")
    ready = "ready"

    def encode(self, message: object) -> bytes:
        body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        return self.header.pack(len(body)) + body

    def messages(self, stream: BinaryIO) -> Iterator[object]:
        while len(header := stream.read(self.header.size)) == self.header.size:
            (size,) = self.header.unpack(header)
            body = stream.read(size)
            if len(body) < size:
                return
            yield pickle.loads(body)

    def read(self, fd: int, deadline: float) -> object:
        (size,) = self.header.unpack(_exactly(fd, self.header.size, deadline))
        return pickle.loads(_exactly(fd, size, deadline))


class JsonLines:
    """One JSON object a line."""

    ready = {"ready": True}

    def encode(self, message: object) -> bytes:
        return json.dumps(message).encode() + b"\n"

    def messages(self, stream: BinaryIO) -> Iterator[object]:
        for line in stream:
            try:
                yield json.loads(line)
            except ValueError:  # a line cut short by a dying writer
                continue

    def read(self, fd: int, deadline: float) -> object:
        line = b""
        while not line.endswith(b"\n"):  # byte by byte: the next line stays in the pipe
            line += _exactly(fd, 1, deadline)
        return json.loads(line)


PICKLE_FRAMES = PickleFrames()
JSON_LINES = JsonLines()


def _exactly(fd: int, size: int, deadline: float) -> bytes:
    chunks, left = [], size
    while left:
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise TimeoutError
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Child:
    """One running `python -m <module>` and this process's ends of its pipes; constructed once the
    child has said it is ready, within `start_seconds`, or ChildFailed (and the child killed)."""

    def __init__(self, module: str, wire: Wire, start_seconds: float, name: str = "the child process") -> None:
        self.name = name
        self.wire = wire
        self._listening = False
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
            )
        except OSError as exc:
            raise ChildFailed(f"{name} could not be started: {exc}") from exc
        try:
            self._handshake(start_seconds)
        except BaseException:
            self.kill()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def write(self, message: object) -> None:
        try:
            self.process.stdin.write(self.wire.encode(message))
            self.process.stdin.flush()
        except (OSError, ValueError) as exc:  # ValueError: another thread killed it and closed the pipe
            raise ChildFailed(f"{self.name} could not be reached: {exc}") from exc

    def read(self, deadline: float) -> object:
        """The child's next message, for a caller that waits for each answer in turn."""
        try:
            return self.wire.read(self.process.stdout.fileno(), deadline)
        except TimeoutError:
            raise ChildFailed(f"{self.name} did not answer in time") from None
        except EOFError:
            raise ChildFailed(f"{self.name} ended") from None

    def listen(self, on_message: Callable[[object], None], on_end: Callable[[int], None], name: str) -> None:
        """For many answers in flight: hands each message to `on_message` on a thread of its own, then
        `on_end(exit status)` once the child has ended, so whoever still waits learns it now rather than
        at their timeout. The thread owns standard output from then on."""
        self._listening = True
        threading.Thread(target=self._listen, args=(on_message, on_end), name=name, daemon=True).start()

    def kill(self) -> None:
        """Kills and reaps the child and closes this process's ends of its pipes."""
        self.process.kill()
        self.process.wait()
        with contextlib.suppress(OSError):  # a write cut short by the kill may fail to flush
            self.process.stdin.close()
        if not self._listening:
            self.process.stdout.close()

    def _handshake(self, start_seconds: float) -> None:
        try:
            said = self.wire.read(self.process.stdout.fileno(), time.monotonic() + start_seconds)
        except TimeoutError:
            raise ChildFailed(f"{self.name} did not say it was ready within {start_seconds:.0f} s") from None
        except EOFError:
            raise ChildFailed(f"{self.name} ended before it was ready") from None
        if said != self.wire.ready:
            raise ChildFailed(f"{self.name} said {said!r} instead of that it was ready")

    def _listen(self, on_message: Callable[[object], None], on_end: Callable[[int], None]) -> None:
        for message in self.wire.messages(self.process.stdout):
            on_message(message)
        on_end(self.process.wait())
        self.process.stdout.close()


C = TypeVar("C", bound=Child)


class ChildSlot(Generic[C]):
    """At most one child, started by `start()` on first use and again once its owner discarded it
    (whether a child that misbehaved is dead, stuck or merely unlucky is the owner's call).

    A forked process starts its own instead of sharing its parent's pipes, where answers would go to
    whichever process read first. After a failed start, `get()` raises that failure for
    `retry_seconds` instead of starting another: a child that cannot start would otherwise cost every
    request its start-up time. Thread-safe."""

    def __init__(self, start: Callable[[], C], retry_seconds: float = 0.0) -> None:
        self._start = start
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._child: C | None = None
        self._owner = os.getpid()
        self._failure: tuple[float, str] | None = None  # (time.monotonic(), why) of the last failed start

    def get(self) -> C:
        """The current child, started now if need be, or ChildFailed. Whoever waited while a start
        failed gets that failure too, rather than each trying (and waiting for) another start."""
        asked = time.monotonic()
        with self._lock:
            self._forget_a_parents_child()
            if self._child is not None:
                return self._child
            if self._failure and self._failure[0] >= asked - self._retry_seconds:
                raise ChildFailed(self._failure[1])
            try:
                self._child = self._start()
            except Exception as exc:
                why = str(exc) if isinstance(exc, ChildFailed) else f"{type(exc).__name__}: {exc}"
                self._failure = (time.monotonic(), why)
                log.warning("a child process failed to start: %s", why)
                raise ChildFailed(why) from exc
            self._failure = None
            return self._child

    def discard(self, child: C) -> None:
        """Kills and reaps `child` (dead, stuck, or answering nonsense); the next `get()` starts another."""
        with self._lock:
            if self._child is child:
                self._child = None
        child.kill()

    def pid(self) -> int | None:
        """The running child's, or None."""
        child = self._child
        return child.pid if child is not None and self._owner == os.getpid() and child.alive() else None

    def close(self) -> None:
        with self._lock:
            self._forget_a_parents_child()
            child, self._child = self._child, None
        if child is not None:
            child.kill()

    def _forget_a_parents_child(self) -> None:
        if self._owner != os.getpid():
            self._child, self._failure, self._owner = None, None, os.getpid()


class ParentPipes:
    """The child's side: requests from standard input, answers on a private copy of standard output.

    Made first thing in a child's main(): from then on Ctrl-C is ignored (it stops the parent, whose
    closed pipe then stops this process), and anything printed lands on standard error, where it
    cannot corrupt an answer."""

    def __init__(self, wire: Wire) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        self._wire = wire
        self._answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def ready(self) -> None:
        self.answer(self._wire.ready)

    def requests(self) -> Iterator[object]:
        """Every request, until the parent closes its end or dies."""
        return self._wire.messages(sys.stdin.buffer)

    def answer(self, message: object) -> None:
        self._answers.write(self._wire.encode(message))
        self._answers.flush()
