"""Every page, writer and operator, at desktop and phone width: no sideways scroll, no clipped table.

Pages are found from the app's own routes, so a page added later is walked too; a route whose
path needs a value this test does not know fails with a message saying which, rather than being
skipped in silence. A screenshot of every page at both widths goes to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from memo_coach.auth import users
from memo_coach.config_store import versions
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.incidents import service as incidents
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.support.tickets import service as tickets

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Not pages: machine endpoints, the API explorer (a third-party page) and files.
NOT_PAGES = re.compile(r"^/(?:api/|health|metrics|docs|openapi)|\.(?:svg|pdf|csv|json|png|ico)$|/(?:pdf|export)$")
QUERIES = {"/admin/config/{name}/diff": "?from=1&to=2"}
MEMO = """Subject: Approve $38,000 for a support ticketing tool by 15 March

Recommendation
I request approval of $38,000 to replace our support ticketing tool, decided by 15 March.

Why now
Ticket volume grew 62% in two years, from 2,600 to 4,200 a month (support dashboard, February).

Risks
Migration could disrupt replies for a few days. We will run both tools in parallel for two weeks.

Next steps
Priya Shah (Support Operations) will sign the ticketing contract by 20 March.
"""

# Problems a person would see: the page scrolls sideways, or a table is cut off with no way or hint to see the rest.
LAYOUT_PROBLEMS = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) problems.push(`the page is ${page}px wide in a ${width}px window`);
  document.querySelectorAll('table').forEach((table, i) => {
    const name = (table.closest('section')?.querySelector('h2,h1')?.textContent || `table ${i + 1}`).trim();
    let box = table;
    while (box && box !== document.body && !['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (!box || box === document.body) {
      if (table.getBoundingClientRect().right > width + 1) problems.push(`"${name}" runs off the screen`);
      return;
    }
    if (box.scrollWidth <= box.clientWidth + 1) return;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    const hint = box.closest('[data-scroll-hint]')?.querySelector('.scroll-hint');
    if (!scrolls) problems.push(`"${name}" is clipped and cannot scroll`);
    else if (!hint || hint.offsetParent === null) problems.push(`"${name}" scrolls sideways with no visible hint`);
  });
  return problems;
}
"""


def page_paths(app, values: dict[str, str]) -> tuple[list[str], list[str]]:
    """(concrete page paths, routes whose path parameters this test has no value for)."""
    paths, unknown = [], []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.route, APIRoute) or "GET" not in context.methods or NOT_PAGES.search(context.path):
            continue
        path = context.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        if "{" in path:
            unknown.append(context.path)
        else:
            paths.append(path + QUERIES.get(context.path, ""))
    return sorted(set(paths)), unknown


def seed(server, page) -> dict[str, str]:
    """An evaluation, a second rubric version to diff, a ticket, an incident and a review report:
    returns the ids the routes need."""
    page.goto(f"{server.url}/")
    page.get_by_label("Memo text", exact=True).fill(MEMO)
    page.get_by_role("button", name="Evaluate memo").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"), timeout=60_000)
    evaluation_id = page.url.rsplit("/", 1)[1]
    memo_id = page.locator("a[href$='/revise']").first.get_attribute("href").split("/")[2]
    engine = make_engine(server.settings.sqlalchemy_url)
    rubric = (Path(server.settings.config_dir) / "rubric.yaml").read_text(encoding="utf-8")
    with session_scope(make_session_factory(engine)) as session:
        changed = rubric.replace("en: Business memo", "en: Business memo (layout check)", 1)
        versions.apply(session, "rubric", changed, author="admin", reason="a second version to compare")
        admin = users.get_user(session, "admin")
        ticket = tickets.open_ticket(
            session, admin, "problem", "The score looks off", "Clarity got 2 although the memo is short.",
            {"page": "/"}, utcnow(),
        )  # fmt: skip
        incident = incidents.open_incident(
            session, versions.active_models(session)["monitoring"], title="Evaluations are slow", severity="P3",
            source="manual", component="evaluations",
        )  # fmt: skip
        ids = {"ticket_id": str(ticket.id), "incident_id": str(incident.id)}
    engine.dispose()
    review = tasks.run_now(server.app.state.runtime.tasks, "error_log_review", "operator", "admin")
    return {
        "evaluation_id": evaluation_id, "memo_id": memo_id, "name": "rubric", "component": "database",
        "run_id": str(review), **ids,
    }  # fmt: skip


@pytest.fixture(scope="module")
def walked(chromium, server):
    """Signs in as the admin (who may see every page), seeds data, then visits every page at both widths."""
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(server.admin_password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(f"{server.url}/")
    values = seed(server, page)
    paths, unknown = page_paths(server.app, values)
    yield server.url, page, paths, unknown
    context.close()


def test_every_page_route_can_be_walked(walked):
    _, _, paths, unknown = walked
    assert unknown == [], f"give these routes a sample value in seed(): {unknown}"
    assert {"/", "/history", "/help", "/ops", "/admin/config"} <= set(paths)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_fits_the_screen_without_clipped_tables(walked, shots, viewport):
    base, page, paths, _ = walked
    page.set_viewport_size(VIEWPORTS[viewport])
    problems = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status < 500, f"{path} answered {response and response.status}"
        page.wait_for_load_state("load")
        found = page.evaluate(LAYOUT_PROBLEMS)
        name = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0].lower()).strip("-") or "home"
        shots(page, f"layout-{viewport}-{name}")
        if found:
            problems[path] = found
    assert problems == {}, f"at {viewport} width: {problems}"
