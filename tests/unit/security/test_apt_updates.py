"""Pending Debian security updates, read from `apt-get -s upgrade`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from memo_coach.security.apt_updates import security_updates, simulate_upgrade

SIMULATION = """\
Reading package lists...
Building dependency tree...
Reading state information...
Calculating upgrade...
The following packages will be upgraded:
  base-files libgcrypt20 liblzma5 newpkg
4 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.
Inst base-files [12.4+deb12u11] (12.4+deb12u15 Debian:12.15/oldstable [amd64])
Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
Inst liblzma5 [5.4.1-1] (5.4.1-1+deb12u2 Debian-Security:12/oldstable-security [amd64]) []
Inst libssl3 [3.0.2-0ubuntu1.15] (3.0.2-0ubuntu1.18 Ubuntu:22.04/jammy-updates, Ubuntu:22.04/jammy-security [amd64])
Inst newpkg (2.0-1 Debian:12.15/oldstable [all])
Conf base-files (12.4+deb12u15 Debian:12.15/oldstable [amd64])
Conf libgcrypt20 (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
"""


def test_only_candidates_from_a_security_suite_count():
    updates = security_updates(SIMULATION)
    assert [(u["package"], u["installed"], u["candidate"]) for u in updates] == [
        ("libgcrypt20", "1.10.1-3", "1.10.1-3+deb12u1"),
        ("liblzma5", "5.4.1-1", "5.4.1-1+deb12u2"),
        ("libssl3", "3.0.2-0ubuntu1.15", "3.0.2-0ubuntu1.18"),
    ]
    assert updates[0]["origin"] == "Debian:12.15/oldstable, Debian-Security:12/oldstable-security"


def test_nothing_pending_is_an_empty_answer():
    assert security_updates("Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove.\n") == []


@pytest.mark.skipif(
    not Path("/etc/debian_version").exists() or shutil.which("apt-get") is None, reason="needs Debian's apt-get"
)
def test_the_real_apt_get_simulation_parses():
    output = simulate_upgrade()
    assert "Reading package lists" in output or "upgraded" in output
    inst_lines = [line for line in output.splitlines() if line.startswith("Inst ")]
    security_lines = [line for line in inst_lines if "-security" in line]
    assert len(security_updates(output)) == len(security_lines)
