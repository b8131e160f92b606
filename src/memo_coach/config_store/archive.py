"""The whole configuration as one zip archive: every active file plus a manifest of versions and checksums.

An import is all or nothing: every file in the archive is validated against the others first, and
only then are the changed ones applied (or proposed, under the two-person rule).
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib

from sqlalchemy.orm import Session

from memo_coach.config_store import changes, versions
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, parse
from memo_coach.config_store.validation import validate
from memo_coach.db.base import utcnow
from memo_coach.errors import InvalidInput

MANIFEST = "manifest.json"
MAX_FILE_BYTES = 1_000_000


def export_archive(session: Session) -> bytes:
    active = versions.active_versions(session)
    manifest = {
        "exported_at": utcnow().isoformat(),
        "files": {name: {"version": v.number, "checksum": v.checksum} for name, v in sorted(active.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2))
        for name, version in sorted(active.items()):
            zf.writestr(f"{name}.yaml", version.content)
    return buffer.getvalue()


def read_archive(data: bytes) -> dict[str, str]:
    """{name: text} of the configuration files in an archive; InvalidInput for anything else in it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput("the archive is not a zip file", field="archive", code="bad_archive") from None
    files = {}
    with zf:
        for info in zf.infolist():
            if info.filename == MANIFEST:
                continue
            name = info.filename.removesuffix(".yaml")
            if name not in SCHEMAS or not info.filename.endswith(".yaml"):
                raise InvalidInput(
                    f"unexpected file {info.filename!r} in the archive", field="archive", code="bad_archive"
                )
            if info.file_size > MAX_FILE_BYTES:
                raise InvalidInput(f"{info.filename} is too large", field="archive", code="bad_archive")
            try:
                files[name] = zf.read(info).decode("utf-8", errors="replace")
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad CRC or a truncated member
                raise InvalidInput(
                    f"{info.filename} in the archive is damaged: {exc}", field="archive", code="bad_archive"
                ) from None
    if not files:
        raise InvalidInput("the archive holds no configuration file", field="archive", code="bad_archive")
    return files


def import_archive(session: Session, data: bytes, *, author: str, reason: str) -> list[changes.Outcome]:
    """Validates every file of the archive together, then applies each one that differs from the active one."""
    files = read_archive(data)
    active = versions.active_versions(session)
    problems = []
    models = {name: parse(name, v.content) for name, v in active.items()}
    for name, text in files.items():
        try:
            models[name] = parse(name, text, _source(name))
        except ConfigError as exc:
            problems += exc.problems
    for name, text in files.items() if not problems else ():
        try:
            validate(name, text, models, _source(name))
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    changed = [n for n, text in files.items() if n not in active or active[n].checksum != versions.checksum(text)]
    return [
        changes.request_change(session, name, files[name], author=author, reason=f"import: {reason}")
        for name in _dependency_order(changed)
    ]


def _source(name: str) -> str:
    return f"{name}.yaml (archive)"


def _dependency_order(names: list[str]) -> list[str]:
    """The rubric before the prompt, so each applied file validates against the new neighbours."""
    return sorted(names, key=lambda n: list(SCHEMAS).index(n))
