"""The public status page and its Atom feed: what writers and anyone else may know about an outage."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from memo_coach.incidents.status import STATE_LABELS, public_feed, public_status
from memo_coach.web.deps import PUBLIC, DbSession, optional_user
from memo_coach.web.pages.render import render
from memo_coach.web.pages.writer_errors import N_

router = APIRouter(include_in_schema=False)
FEED_ENTRIES = 50
# The page's own words that arrive as data from incidents/status.py (states, steps, impacts, components),
# marked for the catalogue and translated where shown (`|localized`). Incident titles and the updates
# operators write stay as written.
DATA_WORDS = (
    *(N_("Operational"), N_("Under maintenance"), N_("Degraded performance"), N_("Major outage")),
    *(N_("Partial outage"), N_("Investigating"), N_("Monitoring"), N_("Resolved"), N_("Update")),
    *(N_("website"), N_("evaluations"), N_("background jobs")),
    N_("We are aware of a problem and are looking into it."),
    N_("We are working on it."),
    N_("A fix is in place and we are watching the results."),
    N_("This is resolved."),
)


@router.get("/status", dependencies=[Depends(PUBLIC)])
def status_page(request: Request, db: DbSession):
    optional_user(request, db)  # public, but whoever is signed in keeps their menu
    return render(request, "incidents/status.html", data=public_status(db), labels=STATE_LABELS)


@router.get("/status/feed.atom", dependencies=[Depends(PUBLIC)])
def status_feed(request: Request, db: DbSession):
    """Public updates of public incidents, newest first."""
    updates = public_feed(db, FEED_ENTRIES)
    base = str(request.base_url).rstrip("/")
    updated = updates[0]["at"] if updates else "1970-01-01T00:00:00+00:00"
    entries = "".join(
        f"<entry><id>{base}/status#update-{u['id']}</id><title>{escape(u['title'] + ': ' + u['status'])}</title>"
        f'<updated>{u["at"]}</updated><link href="{base}/status"/>'
        f'<content type="text">{escape(u["message"])}</content></entry>'
        for u in updates
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{base}/status</id><title>Memo AI Coach status</title><updated>{updated}</updated>"
        f'<link rel="self" href="{base}/status/feed.atom"/><author><name>Memo AI Coach</name></author>{entries}</feed>'
    )
    return Response(feed, media_type="application/atom+xml")
