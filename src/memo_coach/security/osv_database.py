"""The lock file checked against an OSV vulnerability database on disk, for machines with no network.

pip-audit (2.10) queries a service (PyPI, OSV or ESMS; `--osv-url` names another OSV API, not a file)
and has no local database, so this matches `name==version` from requirements.lock against OSV records
itself. The operator supplies the database (MEMO_COACH_VULNERABILITY_DATABASE): one record or a list
of them in a JSON file, a directory of such files, or OSV's own export (`PyPI/all.zip` from
osv-vulnerabilities.storage.googleapis.com), copied over from a machine that has a network.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

ECOSYSTEM = "pypi"
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def normalise(name: str) -> str:
    """PEP 503: `Foo_Bar` and `foo-bar` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_packages(lock_text: str) -> dict[str, str]:
    """name -> version of every `name==version` line of a pip-compile lock file."""
    return {normalise(name): version for name, version in _PINNED.findall(lock_text)}


@dataclass
class Matches:
    findings: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    unreadable: list[str] = field(default_factory=list)
    newest_modified: str | None = None  # how fresh the database is


def match_lock(lock_text: str, database: Path) -> Matches:
    """Every pinned package whose version an OSV record of the database says is affected."""
    pinned = pinned_packages(lock_text)
    result = Matches()
    for record in _records(database, result.unreadable):
        result.records += 1
        modified = record.get("modified")
        if isinstance(modified, str) and (result.newest_modified is None or modified > result.newest_modified):
            result.newest_modified = modified
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected") or []:
            package = affected.get("package") or {}
            name = normalise(str(package.get("name", "")))
            if str(package.get("ecosystem", "")).lower() != ECOSYSTEM or name not in pinned:
                continue
            if is_affected(pinned[name], affected):
                aliases = [a for a in record.get("aliases") or [] if isinstance(a, str)]
                result.findings.append(
                    {"name": name, "version": pinned[name], "id": record.get("id"), "aliases": aliases}
                )
    return result


def is_affected(version: str, affected: dict[str, Any]) -> bool:
    """OSV's rule: the version is listed, or inside an ECOSYSTEM range of introduced/fixed/last_affected events."""
    if version in (affected.get("versions") or []):
        return True
    try:
        v = Version(version)
    except InvalidVersion:
        return False
    return any(_in_range(v, r) for r in affected.get("ranges") or [] if r.get("type") == "ECOSYSTEM")


def _in_range(v: Version, osv_range: dict[str, Any]) -> bool:
    affected = False
    for kind, bound in sorted(_events(osv_range), key=lambda e: e[1]):
        if kind == "introduced" and v >= bound:
            affected = True
        elif (kind == "fixed" and v >= bound) or (kind == "last_affected" and v > bound):
            affected = False
    return affected


def _events(osv_range: dict[str, Any]) -> Iterator[tuple[str, Version]]:
    for event in osv_range.get("events") or []:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                try:
                    yield kind, Version(str(event[kind]))
                except InvalidVersion:
                    continue


def _records(database: Path, unreadable: list[str]) -> Iterator[dict[str, Any]]:
    if database.is_dir():
        for path in sorted(database.rglob("*.json")):
            yield from _parsed(str(path), path.read_bytes, unreadable)
    elif zipfile.is_zipfile(database):
        with zipfile.ZipFile(database) as archive:
            for name in archive.namelist():
                if name.endswith(".json"):
                    yield from _parsed(name, partial(archive.read, name), unreadable)
    else:
        yield from _parsed(str(database), database.read_bytes, unreadable)


def _parsed(name: str, read: Callable[[], bytes], unreadable: list[str]) -> Iterator[dict[str, Any]]:
    """The records of one file: one record, a list of them, or an OSV API answer ({"vulns": [...]})."""
    try:
        data = json.loads(read())
    except (OSError, ValueError):
        unreadable.append(name)
        return
    items = data.get("vulns", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        unreadable.append(name)
        return
    yield from (item for item in items if isinstance(item, dict))
