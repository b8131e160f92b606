"""What a long command is doing, on stderr, so an operator knows it is alive and how long it took.

On a terminal: a spinner with the seconds elapsed, replaced by one line when the step ends.
Elsewhere (a runbook's log, CI): one line when the step starts and one when it ends. Standard
output keeps only the command's result, so `--json` and pipes stay clean.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def step(what: str) -> Iterator[None]:
    console = Console(stderr=True, highlight=False)
    started = time.monotonic()
    if console.is_terminal:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            progress.add_task(f"{what}…", total=None)
            yield
    else:
        console.print(f"{what}…")
        yield
    console.print(f"{what}: done in {time.monotonic() - started:.1f} s")
