"""Debian packages with a pending security update, found offline from apt's own package lists.

`apt-get -s upgrade` simulates the upgrade from the lists on disk (no network, no root, nothing
installed); each `Inst` line names the package, the installed version and the candidate with the
archives it comes from. A candidate from a `-security` suite is a published fix the host lacks. The
answer is only as fresh as the lists (`apt-get update` last ran), so their age is reported with it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

APT_TIMEOUT_SECONDS = 120
APT_LISTS = Path("/var/lib/apt/lists")
# Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
_INST = re.compile(
    r"^Inst (?P<package>\S+)(?: \[(?P<installed>[^\]]*)\])? \((?P<candidate>\S+) (?P<origins>[^\[)]*?)(?: \[[^\]]*\])?\)",
    re.M,
)


class AptUnavailable(Exception):
    """apt cannot answer here; the message says why."""


def security_updates(simulation: str) -> list[dict[str, str | None]]:
    """The packages of an `apt-get -s upgrade` output whose candidate comes from a -security suite."""
    found = []
    for m in _INST.finditer(simulation):
        origins = [o.strip() for o in m["origins"].split(",")]
        if any(o.rpartition("/")[2].endswith("-security") for o in origins):
            found.append(
                {
                    "package": m["package"],
                    "installed": m["installed"],
                    "candidate": m["candidate"],
                    "origin": m["origins"],
                }
            )
    return found


def simulate_upgrade() -> str:
    """The output of `apt-get -s upgrade`; AptUnavailable when there is no apt or it fails."""
    apt = shutil.which("apt-get")
    if apt is None:
        raise AptUnavailable("apt-get is not installed (not a Debian-based system): system packages not checked")
    command = [apt, "-s", "-o", "Debug::NoLocking=1", "upgrade"]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=APT_TIMEOUT_SECONDS, env={**os.environ, "LC_ALL": "C"}
        )
    except subprocess.TimeoutExpired:
        raise AptUnavailable(f"apt-get -s upgrade did not finish within {APT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise AptUnavailable(f"apt-get -s upgrade failed: {done.stderr.strip()[-300:]}")
    return done.stdout


def lists_updated_at(lists: Path = APT_LISTS) -> str | None:
    """When `apt-get update` last brought new package lists: what the answer is as fresh as."""
    try:
        newest = max((p.stat().st_mtime for p in lists.iterdir() if p.is_file()), default=None)
    except OSError:
        return None
    return datetime.fromtimestamp(newest, UTC).isoformat() if newest else None
