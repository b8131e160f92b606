"""The kept review reports: each is the details of a review task's run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.errors import NotFound
from memo_coach.maintenance.scheduler.models import TaskRun

REVIEWS = {
    "error_log_review": ("daily", "Error-log review"),
    "performance_review": ("weekly", "Performance analysis"),
    "support_review": ("weekly", "Support review"),
    "configuration_review": ("weekly", "Configuration review"),
    "system_review": ("monthly", "System review and capacity assessment"),
    "process_review": ("monthly", "Process-improvement review"),
    "technology_review": ("monthly", "Technology review"),
}


def _view(run: TaskRun, with_report: bool) -> dict[str, Any]:
    cadence, title = REVIEWS[run.task]
    view = {
        "run_id": run.id,
        "review": run.task,
        "title": title,
        "cadence": cadence,
        "status": run.status,
        "summary": run.summary or run.reason,
        "at": run.started_at.isoformat(),
    }
    if with_report:
        view["report"] = run.details
    return view


def latest_reviews(session: Session) -> list[dict[str, Any]]:
    """Per review: its newest run (or that it never ran), and how many reports are kept."""
    rows = []
    for name, (cadence, title) in REVIEWS.items():
        runs = list(session.scalars(select(TaskRun).where(TaskRun.task == name).order_by(TaskRun.id.desc()).limit(12)))
        latest = _view(runs[0], False) if runs else {"review": name, "title": title, "cadence": cadence, "run_id": None}
        rows.append(
            {**latest, "history": [{"run_id": r.id, "at": r.started_at.isoformat(), "status": r.status} for r in runs]}
        )
    return rows


def review_report(session: Session, run_id: int) -> dict[str, Any]:
    run = session.get(TaskRun, run_id)
    if run is None or run.task not in REVIEWS:
        raise NotFound(f"no review report {run_id}")
    return _view(run, True)
