"""`memo-coach support-bundle`: one archive an operator can hand to whoever helps them.

It holds the doctor report, health, versions, settings and the active configuration, recent log
lines, recent task runs, incidents and ticket statistics. Every file passes the sweeps of
`redaction.py` before it is written, so no secret, token, writer's text or name typed at a failed
sign-in reaches the archive whatever the sources held; the archive's README says how much each sweep
removed. The archive and the folder it goes to are its owner's alone: it describes the installation.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.models import ChatMessage, Evaluation
from memo_coach.config_store.versions import active_versions, read_active
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.security.summary import unknown_sign_in_names
from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig
from memo_coach.support.doctor.system_checks import installed_versions
from memo_coach.support.incident_summaries import incidents_between, open_incidents
from memo_coach.support.log_search import log_files
from memo_coach.support.models import Ticket, TicketMessage
from memo_coach.support.redaction import TextSweep, known_secrets, scrub_secrets, scrub_typed_names
from memo_coach.support.tickets.reports import ticket_report

STREAM_BATCH = 500


def settings_view(settings: Settings) -> dict[str, Any]:
    """Every setting, secrets only as set or unset."""
    view = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        view[name] = ("[set]" if value else "[unset]") if isinstance(value, SecretStr) or value is None else str(value)
    return view


def recent_log_lines(settings: Settings, count: int) -> str:
    lines: deque[str] = deque(maxlen=count)
    for path in reversed(log_files(settings)):  # oldest file first, so the deque keeps the newest lines
        with path.open(encoding="utf-8", errors="replace") as f:
            lines.extend(line.rstrip("\n") for line in f)
    return "\n".join(lines) + ("\n" if lines else "")


def _task_runs(session: Session) -> list[dict[str, Any]]:
    runs = session.scalars(select(TaskRun).order_by(TaskRun.id.desc()).limit(50))
    return [
        {
            "id": r.id,
            "task": r.task,
            "status": r.status,
            "trigger": r.trigger,
            "started_at": r.started_at.isoformat(),
            "duration_seconds": r.duration_seconds,
            "summary": r.summary,
            "reason": r.reason,
            "details": r.details,
        }
        for r in runs
    ]


def _incidents(session: Session, now: datetime) -> dict[str, Any]:
    return {
        "open": [i.to_dict() for i in open_incidents(session)],
        "last_30_days": [i.to_dict() for i in incidents_between(session, now - timedelta(days=30), now)],
    }


def gather(settings: Settings, sessions: sessionmaker[Session], now: datetime, extra: dict[str, Any]) -> dict[str, str]:
    """The bundle's files by name, before the sweeps; `extra` holds what the door computed (doctor, health)."""
    with sessions() as session:
        config = read_active(session, SupportConfig)
        files = {f"config/{name}.yaml": v.content for name, v in active_versions(session).items()}
        data = {
            "task_runs.json": _task_runs(session),
            "incidents.json": _incidents(session, now),
            "tickets.json": ticket_report(session, now - timedelta(days=30), now, now),
        }
    data |= {"versions.json": installed_versions(), "settings.json": settings_view(settings), **extra}
    files |= {name: json.dumps(value, indent=2, default=str) + "\n" for name, value in data.items()}
    files["logs/recent.jsonl"] = recent_log_lines(settings, config.bundle_log_lines)
    return files


def stored_texts(sessions: sessionmaker[Session]) -> Iterator[str | None]:
    """Every writer's text the database holds, streamed."""
    columns = (
        Evaluation.text_content,
        ChatMessage.content,
        Ticket.description,
        Ticket.summary,
        Ticket.memo_text,
        TicketMessage.body,
    )
    with sessions() as session:
        for column in columns:
            yield from session.scalars(select(column).execution_options(yield_per=STREAM_BATCH))


def sweep(files: dict[str, str], secrets: list[str], sessions: sessionmaker[Session]) -> tuple[dict[str, str], dict]:
    with sessions() as session:
        typed_names = unknown_sign_in_names(session)
    text_sweep = TextSweep(files.values())
    text_sweep.scan(stored_texts(sessions))
    cleaned, counts = {}, {"secrets_and_tokens": 0, "writers_text": 0, "typed_names": 0}
    for name, text in files.items():
        if name.endswith((".json", ".jsonl")):
            text, removed_names = scrub_typed_names(text, typed_names, json_lines=name.endswith(".jsonl"))
            counts["typed_names"] += removed_names
        text, removed_secrets = scrub_secrets(text, secrets)
        text, removed_text = text_sweep.clean(text)
        cleaned[name] = text
        counts["secrets_and_tokens"] += removed_secrets
        counts["writers_text"] += removed_text
    return cleaned, counts


def readme(now: datetime, counts: dict) -> str:
    return (
        f"Memo AI Coach support bundle, made {now.isoformat()}.\n\n"
        "doctor.json, health.json   the checks at the time of the bundle\n"
        "versions.json              installed versions\n"
        "settings.json              settings; secrets only as [set] or [unset]\n"
        "config/*.yaml              the active configuration versions\n"
        "logs/recent.jsonl          the newest log lines of this replica\n"
        "task_runs.json             the last 50 task runs\n"
        "incidents.json             open incidents and those of the last 30 days\n"
        "tickets.json               support statistics of the last 30 days (no ticket text)\n\n"
        f"Removed before writing: {counts['secrets_and_tokens']} secrets or tokens, "
        f"{counts['writers_text']} passages of writers' text, "
        f"{counts['typed_names']} names typed at failed sign-ins that are no account.\n"
    )


def _own_folder(settings: Settings) -> Path:
    """DATA_DIR/support, 0700 like the rest of the data directory. The command runs without the app's
    private umask, and a folder others may list is what the doctor then warns about; one an earlier
    version left open is closed too."""
    folder = settings.data_dir / "support"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def write_bundle(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: datetime,
    extra: dict[str, Any],
    output: Path | None = None,
) -> tuple[Path, dict]:
    """Writes the archive (mode 0600, in a folder made 0700) and returns its path and the sweep counts."""
    files, counts = sweep(gather(settings, sessions, now, extra), known_secrets(settings), sessions)
    files["README.txt"] = readme(now, counts)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path = output or _own_folder(settings) / f"support-bundle-{stamp}.tar.gz"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        for name, text in sorted(files.items()):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"support-bundle-{stamp}/{name}")
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
    return path, counts
