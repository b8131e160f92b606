"""Outside programs the tests drive (haproxy, promtool, amtool, systemd-analyze): skipped with the reason
on a developer's machine that lacks them, a failure in CI, which installs them (.ci/run)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(command: str, package: str) -> str:
    path = shutil.which(command)
    if path is None:
        message = f"{command} is not installed (Debian package {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    return path
