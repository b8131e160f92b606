"""The monthly compliance report (Markdown and JSON): the evidence an auditor asks for, each item with
a status (ok, attention, missing, unknown) and where it comes from."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.audit.verify import chain_report
from memo_coach.incidents.models import Incident
from memo_coach.incidents.reviews import review_is_complete
from memo_coach.maintenance.backups.models import DRILL, VERIFY, BackupCheck
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.security.models import AccessReview

OK, ATTENTION, MISSING, UNKNOWN = "ok", "attention", "missing", "unknown"
REVIEWED_SEVERITIES = ("P1", "P2")  # as incidents.service.mark_reviewed demands a review of them


def _item(name: str, status: str, evidence: str) -> dict:
    return {"item": name, "status": status, "evidence": evidence}


def _access_review(session: Session, now: datetime) -> dict:
    review = session.scalar(
        select(AccessReview).where(AccessReview.created_at >= now - timedelta(days=31)).order_by(AccessReview.id.desc())
    )
    if review is None:
        return _item("access review signed", MISSING, "no access review in the last 31 days")
    if not review.signed_off_by:
        return _item("access review signed", ATTENTION, f"access review {review.id} is not signed off")
    return _item("access review signed", OK, f"review {review.id} signed by {review.signed_off_by}")


def _audit_chain(session: Session) -> dict:
    report = chain_report(session)
    if report["intact"]:
        return _item("audit chain intact", OK, f"{report['events']} events verified")
    return _item(
        "audit chain intact",
        ATTENTION,
        f"{len(report['breaks'])} breaks, first at event {report['breaks'][0]['event_id']}",
    )


def _backup_check(session: Session, kind: str, label: str, now: datetime) -> dict:
    check = session.scalar(
        select(BackupCheck)
        .where(BackupCheck.kind == kind, BackupCheck.at >= now - timedelta(days=31))
        .order_by(BackupCheck.id.desc())
    )
    if check is None:
        return _item(label, MISSING, f"no backup {kind} in the last 31 days")
    status = OK if check.ok else ATTENTION
    return _item(
        label, status, f"backup {check.backup_id} at {check.at.isoformat()}: {'ok' if check.ok else check.reason}"
    )


def _incidents_reviewed(session: Session, now: datetime) -> dict:
    """P1 and P2 incidents resolved in the last 31 days, each with a post-incident review (a root cause)
    or named as missing one; lesser incidents need no review."""
    resolved = session.scalars(
        select(Incident)
        .where(Incident.severity.in_(REVIEWED_SEVERITIES), Incident.resolved_at >= now - timedelta(days=31))
        .order_by(Incident.id)
    ).all()
    if not resolved:
        return _item("incidents reviewed", OK, "no P1 or P2 incident was resolved in the last 31 days")
    missing = [i.id for i in resolved if not review_is_complete(session, i)]
    counted = f"{len(resolved) - len(missing)} of {len(resolved)} P1/P2 incidents resolved in the last 31 days"
    if not missing:
        return _item("incidents reviewed", OK, f"{counted} have a post-incident review")
    names = ", ".join(f"#{i}" for i in missing)
    return _item("incidents reviewed", ATTENTION, f"{counted} have a post-incident review; without one: {names}")


def _task(session: Session, task: str, label: str, now: datetime, days: int = 31) -> dict:
    run = session.scalar(
        select(TaskRun)
        .where(TaskRun.task == task, TaskRun.started_at >= now - timedelta(days=days))
        .order_by(TaskRun.id.desc())
    )
    if run is None:
        return _item(label, MISSING, f"{task} has not run in the last {days} days")
    status = {"succeeded": OK, "skipped": UNKNOWN}.get(run.status, ATTENTION)
    return _item(label, status, f"{task} run {run.id}: {run.status} {run.reason or run.summary or ''}".strip())


def compliance_report(session: Session, now: datetime) -> dict:
    items = [
        _access_review(session, now),
        _audit_chain(session),
        _backup_check(session, VERIFY, "backups verified", now),
        _backup_check(session, DRILL, "restore drill passed", now),
        _incidents_reviewed(session, now),
        _task(session, "cleanup", "retention applied", now, days=3),
        _task(session, "vulnerability_scan", "vulnerability scan", now),
        _task(session, "security_review", "security configuration review", now, days=8),
    ]
    worst = next((s for s in (ATTENTION, MISSING, UNKNOWN) if any(i["status"] == s for i in items)), OK)
    return {"at": now.isoformat(), "period": now.strftime("%Y-%m"), "overall": worst, "items": items}


def to_markdown(report: dict) -> str:
    lines = [
        f"# Compliance report {report['period']}",
        "",
        f"Generated {report['at']}. Overall: **{report['overall']}**.",
        "",
        "| item | status | evidence |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {i['item']} | {i['status']} | {i['evidence'].replace('|', '/')} |" for i in report["items"]]
    return "\n".join(lines) + "\n"
