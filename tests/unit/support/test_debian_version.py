"""Debian versions ordered as dpkg orders them: the image review decides "has a security update" by it."""

from __future__ import annotations

import itertools
import shutil
import subprocess

import pytest

from memo_coach.support.debian_version import compare

ORDERED = [
    "0",
    "1.0~~",
    "1.0~",
    "1.0~rc1",
    "1.0",
    "1.0-0.1",
    "1.0-1~bpo1",
    "1.0-1",
    "1.0a",
    "1.0+deb12u1",
    "1.0.1",
    "2.36-9",
    "2.36-9+deb12u1",
    "2.36-9+deb12u10",
    "2.36-10",
    "3.0.11-1~deb12u2",
    "3.0.15-1~deb12u1",
    "7.88.1-10+deb12u12",
    "1:0.9",
]


@pytest.mark.parametrize(("older", "newer"), list(itertools.pairwise(ORDERED)))
def test_each_version_is_older_than_the_next(older, newer):
    assert compare(older, newer) == -1 and compare(newer, older) == 1


def test_equal_spellings_compare_equal():
    assert compare("1.00", "1.0") == 0 and compare("0:1.0", "1.0") == 0 and compare("1.0-0", "1.0") == 0


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed here")
def test_the_order_is_dpkgs_own():
    """Every pair against `dpkg --compare-versions` itself (one call per pair, so on a small set)."""
    sample = [*ORDERED[::2], "5.2.15-2+b7", "5.2.15-2+b8", "252.39-1~deb12u1"]
    for a, b in itertools.product(sample, sample):
        expected = next(
            value
            for op, value in (("lt", -1), ("eq", 0), ("gt", 1))
            if subprocess.run(["dpkg", "--compare-versions", a, op, b], check=False).returncode == 0
        )
        assert compare(a, b) == expected, (a, b)
