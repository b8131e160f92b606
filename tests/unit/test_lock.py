"""The lock files agree with pyproject.toml: every dependency pinned, with hashes, the same in both.

After changing dependencies run `make lock` (pip-compile --generate-hashes), or this fails.
"""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.helpers import REPO

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    return {canonicalize_name(n): v for n, v in PIN.findall((REPO / name).read_text())}


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    found = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(r) for r in found]


def test_every_dependency_is_pinned_within_its_declared_range():
    for lock, extra in (("requirements.lock", None), ("requirements-dev.lock", "dev")):
        locked = pins(lock)
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in locked, f"{requirement.name} is not in {lock}: run `make lock`"
            assert requirement.specifier.contains(locked[name], prereleases=True), (lock, requirement, locked[name])


def test_both_locks_pin_the_same_versions():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v} == {}


def test_every_pin_carries_a_hash():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (REPO / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 7)[-1])
        unhashed = [b.split()[0] for b in blocks if "==" in b.split("\n")[0] and "--hash=sha256:" not in b]
        assert unhashed == [], lock
