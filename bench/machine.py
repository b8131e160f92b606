"""What a benchmark result was measured on, stored in every result file.

Figures from two machines, or from one checkout before and after an uncommitted edit, are not the
same experiment: the description lets `python -m bench.run compare` say so beside its verdict.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]


def _cpu_model() -> str:
    """The kernel's name for the processor; `platform.processor()` is empty on most Linux systems."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str | None:
    """Read-only git (`--no-optional-locks`: not even the index's stat cache is rewritten, so a
    benchmark never disturbs someone else's work in the same checkout)."""
    try:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args], cwd=REPO, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def describe() -> dict:
    status = _git("status", "--porcelain")
    return {
        "cpu_model": _cpu_model(),
        "cores_logical": psutil.cpu_count(),
        "cores_physical": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": None if status is None else status != "",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
