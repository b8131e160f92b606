"""Post-incident reviews: prefilled from the record, completed by people, exported as Markdown;
action items tracked until done; monthly MTTA and MTTR per severity."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.coaching.models import Evaluation
from memo_coach.db.base import utcnow
from memo_coach.errors import InvalidInput, NotFound
from memo_coach.incidents.models import ActionItem, Incident, Review
from memo_coach.incidents.timeline import assembled_timeline

MAX_TEXT = 20_000


def review_is_complete(session: Session, incident: Incident) -> bool:
    review = session.get(Review, incident.id)
    return review is not None and bool(review.root_cause.strip())


def impact(session: Session, incident: Incident) -> dict[str, Any]:
    """Duration, evaluations made and degraded, and writers affected while the incident was open."""
    end = incident.resolved_at or utcnow()
    window = (Evaluation.created_at >= incident.opened_at, Evaluation.created_at <= end)
    evaluations = session.scalar(select(func.count()).select_from(Evaluation).where(*window)) or 0
    degraded = session.scalar(
        select(func.count()).select_from(Evaluation).where(*window, Evaluation.degraded.is_(True))
    )
    writers = session.scalar(select(func.count(func.distinct(Evaluation.user_id))).where(*window)) or 0
    return {
        "duration_seconds": round((end - incident.opened_at).total_seconds(), 1),
        "evaluations": evaluations,
        "evaluations_degraded": degraded or 0,
        "writers_affected": writers,
    }


def review_view(session: Session, incident: Incident) -> dict[str, Any]:
    review = session.get(Review, incident.id) or Review(incident_id=incident.id)
    items = session.scalars(select(ActionItem).where(ActionItem.incident_id == incident.id).order_by(ActionItem.id))
    return {
        "incident_id": incident.id,
        "impact": impact(session, incident),
        "root_cause": review.root_cause or "",
        "went_well": review.went_well or "",
        "went_badly": review.went_badly or "",
        "action_items": [item_view(i) for i in items],
        "timeline": assembled_timeline(session, incident),
    }


def save_review(session: Session, incident: Incident, author: str, **fields: str) -> Review:
    for name, text in fields.items():
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"{name} holds at most {MAX_TEXT} characters", field=name)
    review = session.get(Review, incident.id) or Review(incident_id=incident.id)
    for name in ("root_cause", "went_well", "went_badly"):
        if name in fields:
            setattr(review, name, fields[name].strip())
    review.author, review.updated_at = author, utcnow()
    session.add(review)
    return review


def add_action_item(session: Session, incident: Incident, text: str, owner: str, due: date) -> ActionItem:
    if not text.strip() or not owner.strip():
        raise InvalidInput("an action item needs text and an owner", field="text")
    item = ActionItem(incident_id=incident.id, text=text.strip()[:500], owner=owner.strip()[:64], due=due)
    session.add(item)
    session.flush()
    return item


def complete_action_item(session: Session, item_id: int) -> ActionItem:
    item = session.get(ActionItem, item_id)
    if item is None:
        raise NotFound(f"no action item {item_id}")
    item.done_at = item.done_at or utcnow()
    return item


def overdue_action_items(session: Session, today: date) -> list[dict[str, Any]]:
    query = select(ActionItem).where(ActionItem.done_at.is_(None), ActionItem.due < today).order_by(ActionItem.due)
    return [item_view(i) for i in session.scalars(query)]


def item_view(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "incident_id": item.incident_id,
        "text": item.text,
        "owner": item.owner,
        "due": item.due.isoformat(),
        "done_at": item.done_at.isoformat() if item.done_at else None,
    }


def review_markdown(session: Session, incident: Incident) -> str:
    view = review_view(session, incident)
    imp = view["impact"]
    lines = [
        f"# Incident {incident.id}: {incident.title}",
        "",
        f"- Severity: {incident.severity}; status: {incident.status}; component: {incident.component}",
        f"- Opened {incident.opened_at.isoformat()}; resolved {incident.resolved_at.isoformat() if incident.resolved_at else 'not yet'}",
        f"- Duration {imp['duration_seconds']:.0f} s; evaluations {imp['evaluations']} "
        f"({imp['evaluations_degraded']} degraded); writers affected {imp['writers_affected']}",
        "",
        "## Root cause",
        view["root_cause"] or "_not written yet_",
        "",
        "## What went well",
        view["went_well"] or "_not written yet_",
        "",
        "## What went badly",
        view["went_badly"] or "_not written yet_",
        "",
        "## Action items",
        *(
            f"- [{'x' if i['done_at'] else ' '}] {i['text']} (owner {i['owner']}, due {i['due']})"
            for i in view["action_items"]
        ),
        "",
        "## Timeline (UTC)",
        *(f"- {e['at']} {e['kind']}: {e['message']} ({e['actor']})" for e in view["timeline"]),
    ]
    return "\n".join(lines) + "\n"


def response_stats(session: Session, since: datetime) -> dict[str, Any]:
    """Per month and severity: incidents, mean time to acknowledge and to resolve (seconds); by cause and component."""
    incidents = session.scalars(select(Incident).where(Incident.opened_at >= since)).all()
    months: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: {"tta": [], "ttr": [], "n": []})
    causes: dict[str, int] = defaultdict(int)
    components: dict[str, int] = defaultdict(int)
    for i in incidents:
        bucket = months[(i.opened_at.strftime("%Y-%m"), i.severity)]
        bucket["n"].append(1)
        if i.acknowledged_at:
            bucket["tta"].append((i.acknowledged_at - i.opened_at).total_seconds())
        if i.resolved_at:
            bucket["ttr"].append((i.resolved_at - i.opened_at).total_seconds())
        causes[i.cause or "unknown"] += 1
        components[i.component] += 1

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {
        "months": [
            {
                "month": m,
                "severity": s,
                "incidents": len(v["n"]),
                "mtta_seconds": mean(v["tta"]),
                "mttr_seconds": mean(v["ttr"]),
            }
            for (m, s), v in sorted(months.items())
        ],
        "by_cause": dict(sorted(causes.items(), key=lambda kv: -kv[1])),
        "by_component": dict(sorted(components.items(), key=lambda kv: -kv[1])),
    }
