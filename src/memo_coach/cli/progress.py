"""What a long command is doing, on stderr, so an operator knows it is alive and how long it took.

On a terminal: a spinner with the seconds elapsed, replaced by one line when the step ends.
Elsewhere (a runbook's log, CI): one line when the step starts and one when it ends. Standard
output keeps only the command's result, so `--json` and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def step(what: str) -> Iterator[None]:
    started = time.monotonic()
    if sys.stderr.isatty():
        # Rich only where its spinner shows: importing it costs a command about 35 ms.
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(stderr=True, highlight=False)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            progress.add_task(f"{what}…", total=None)
            yield
        console.print(f"{what}: done in {time.monotonic() - started:.1f} s")
        return
    print(f"{what}…", file=sys.stderr, flush=True)
    yield
    print(f"{what}: done in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
