"""The public status page and its Atom feed: what writers and anyone else may know about an outage."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from memo_coach.incidents.models import Incident, IncidentEvent
from memo_coach.incidents.status import public_status
from memo_coach.web.deps import PUBLIC, DbSession
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)
FEED_ENTRIES = 50


@router.get("/status", dependencies=[Depends(PUBLIC)])
def status_page(request: Request, db: DbSession):
    return render(request, "incidents/status.html", data=public_status(db))


@router.get("/status/feed.atom", dependencies=[Depends(PUBLIC)])
def status_feed(request: Request, db: DbSession):
    """Public updates of every incident, newest first (internal notes never appear)."""
    rows = db.execute(
        select(IncidentEvent, Incident)
        .join(Incident, Incident.id == IncidentEvent.incident_id)
        .where(IncidentEvent.public.is_(True))
        .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())
        .limit(FEED_ENTRIES)
    ).all()
    base = str(request.base_url).rstrip("/")
    updated = rows[0][0].at.isoformat() if rows else "1970-01-01T00:00:00+00:00"
    entries = "".join(
        f"<entry><id>{base}/status#update-{e.id}</id><title>{escape(f'{i.title}: {e.kind}')}</title>"
        f'<updated>{e.at.isoformat()}</updated><link href="{base}/status"/>'
        f'<content type="text">{escape(e.message)}</content></entry>'
        for e, i in rows
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{base}/status</id><title>Memo AI Coach status</title><updated>{updated}</updated>"
        f'<link rel="self" href="{base}/status/feed.atom"/><author><name>Memo AI Coach</name></author>{entries}</feed>'
    )
    return Response(feed, media_type="application/atom+xml")
