"""The container image's Debian packages against Debian's security updates, for the technology review.

The image records its packages when it is built (`dpkg-query` in deploy/container/Containerfile, into
/usr/share/memo-coach/image-packages.txt), with the date its base's packages were fetched. Nothing
installs packages in a running container, so that list is the image's truth; a list kept in the
repository would describe whichever image was built last, not the one running, so there is none.

The updates come from apt's package lists on disk for the image's suite's `-security` archive (the
host's, mounted read-only into the container by deploy/container/compose.yaml, or the host's own when
the review runs there): no network. The answer is only as fresh as those lists, so their date goes
with it; without them, only the age of the base is reported, and an old base means: rebuild the image.
"""

from __future__ import annotations

import gzip
import lzma
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from memo_coach.security.apt_updates import lists_updated_at
from memo_coach.support.debian_version import compare

IN_IMAGE = Path("/usr/share/memo-coach/image-packages.txt")
APT_HELPER = "/usr/lib/apt/apt-helper"  # decompresses the lz4/zstd lists apt may keep
READ_TIMEOUT_SECONDS = 60


@dataclass
class ImagePackages:
    """`# key: value` lines (base-created, suite, image-built), then `package<TAB>version<TAB>arch`."""

    facts: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)


def parse_image_packages(text: str) -> ImagePackages:
    parsed = ImagePackages()
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line.lstrip("# ").partition(":")
            if sep:
                parsed.facts[key.strip()] = value.strip()
        elif line.strip():
            name, _, rest = line.partition("\t")
            parsed.versions[name] = rest.split("\t")[0]
    return parsed


def parse_packages_index(text: str) -> dict[str, str]:
    """Package -> newest version in an apt `Packages` index (deb822 stanzas)."""
    newest: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("Package:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("Version:") and name:
            version = line.partition(":")[2].strip()
            if name not in newest or compare(version, newest[name]) > 0:
                newest[name] = version
    return newest


def _read_list(path: Path) -> str:
    """A list as apt stores it: plain, gzip or xz here; lz4 and zstd through apt's own helper."""
    if path.name.endswith("_Packages"):
        return path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    if path.suffix == ".xz":
        return lzma.decompress(path.read_bytes()).decode("utf-8", "replace")
    if not shutil.which(APT_HELPER):
        raise OSError(f"{path.name} is compressed and {APT_HELPER} is not here to read it")
    done = subprocess.run(
        [APT_HELPER, "cat-file", str(path)], capture_output=True, text=True, timeout=READ_TIMEOUT_SECONDS
    )
    if done.returncode != 0:
        raise OSError(f"apt-helper could not read {path.name}: {done.stderr.strip()[-200:]}")
    return done.stdout


def security_lists(lists_dir: Path, suite: str) -> list[Path]:
    """The `Packages` lists of `<suite>-security` (apt names them after the archive's URL path)."""
    try:
        return sorted(p for p in lists_dir.iterdir() if f"_dists_{suite}-security_" in p.name and "_Packages" in p.name)
    except OSError:
        return []


def security_candidates(lists: list[Path]) -> dict[str, str]:
    newest: dict[str, str] = {}
    for path in lists:
        for name, version in parse_packages_index(_read_list(path)).items():
            if name not in newest or compare(version, newest[name]) > 0:
                newest[name] = version
    return newest


def pending_updates(installed: dict[str, str], candidates: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"package": name, "installed": version, "candidate": candidates[name]}
        for name, version in sorted(installed.items())
        if name in candidates and compare(candidates[name], version) > 0
    ]


def _age_days(facts: dict[str, str], now: datetime) -> int | None:
    try:
        created = datetime.fromisoformat(facts["base-created"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (now - created).days


def _updates(lists_dir: Path, suite: str, installed: dict[str, str]) -> dict[str, Any]:
    lists = security_lists(lists_dir, suite)
    if not lists:
        return {
            "security_updates": None,
            "updates_note": f"no {suite}-security package lists in {lists_dir}: security updates not checked",
        }
    try:
        candidates = security_candidates(lists)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"security_updates": None, "updates_note": f"security updates not checked: {exc}"}
    return {
        "security_updates": pending_updates(installed, candidates),
        "updates_note": f"from {len(lists)} {suite}-security lists in {lists_dir}, "
        f"updated {lists_updated_at(lists_dir) or 'at an unknown time'}",
    }


def image_review(path: Path, lists_dir: Path, now: datetime, max_age_days: int) -> dict[str, Any]:
    """The image's base date and age, and its packages that Debian has published a security fix for."""
    try:
        recorded = parse_image_packages(path.read_text(encoding="utf-8"))
    except OSError:
        return {"package_list": str(path), "found": False, "note": f"no image package list at {path}: not checked"}
    age = _age_days(recorded.facts, now)
    suite = recorded.facts.get("suite", "bookworm")
    review = {
        "package_list": str(path),
        "found": True,
        "suite": suite,
        "base_created": recorded.facts.get("base-created"),
        "image_built": recorded.facts.get("image-built"),
        "packages": len(recorded.versions),
        "base_age_days": age,
        "max_age_days": max_age_days,
        "too_old": age is not None and age > max_age_days,
        **_updates(lists_dir, suite, recorded.versions),
    }
    review["rebuild"] = bool(review["too_old"] or review["security_updates"])
    return review


def summary(review: dict[str, Any]) -> str:
    """One phrase for the review's summary line."""
    if not review["found"]:
        return "image: not checked (no package list)"
    days = review["base_age_days"]
    age = "base of unknown age" if days is None else f"base {days} days old"
    updates = review["security_updates"]
    pending = "security updates not checked" if updates is None else f"{len(updates)} security updates"
    return f"image: {age}, {pending}" + ("; rebuild it" if review["rebuild"] else "")
