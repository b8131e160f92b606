"""Configuration pages: history, side-by-side diff, the editor with inline validation and dry run, approvals.

Thin like the API: every action is a call into config_store; forms are plain POSTs with the CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from memo_coach.config_store import archive, changes, diffs, disk, versions
from memo_coach.config_store.drift import config_health
from memo_coach.config_store.loader import ConfigError
from memo_coach.db.base import utcnow
from memo_coach.errors import AppError, InvalidInput
from memo_coach.web.api.config import MAX_ARCHIVE_BYTES, MAX_INT
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import Admin, DbSession, Operator, runtime_of
from memo_coach.web.flash import redirect_with
from memo_coach.web.pages.render import render

router = APIRouter(prefix="/admin/config", include_in_schema=False)
CSRF = [Depends(verify_csrf)]
Text = Annotated[str, Form(max_length=1_000_000)]
Reason = Annotated[str, Form(max_length=500)]
ProposalId = Annotated[int, Path(ge=1, le=MAX_INT)]


def _back(url: str, notice: str) -> RedirectResponse:
    return redirect_with(url, notice)


def _written(request: Request, db: DbSession, outcome: changes.Outcome) -> str:
    """Commits, writes an applied version to disk, and says what happened in words."""
    db.commit()
    if outcome.version is not None:
        v = outcome.version
        disk.write_config(runtime_of(request).settings.config_dir, v.name, v.content)
        return f"Applied {v.name} version {v.number}."
    return f"Saved as proposal {outcome.proposal.id}; a different admin must approve it."


@router.get("")
def overview(request: Request, user: Operator, db: DbSession):
    watcher = runtime_of(request).config_watcher
    return render(
        request,
        "config/overview.html",
        files=sorted(versions.active_versions(db).items()),
        health=config_health(watcher),
        disk=watcher.status() if watcher else None,
        proposals=changes.list_proposals(db),
        approval_required=changes.approval_required(db),
    )


@router.get("/export")
def export(admin: Admin, db: DbSession):
    name = f"memo-coach-config-{utcnow():%Y%m%dT%H%M%SZ}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(archive.export_archive(db), media_type="application/zip", headers=headers)


@router.post("/import", dependencies=CSRF)
def import_config(
    request: Request, admin: Admin, db: DbSession, file: Annotated[UploadFile, File()], reason: Reason = ""
):
    data = file.file.read(MAX_ARCHIVE_BYTES + 1)
    if len(data) > MAX_ARCHIVE_BYTES:
        raise InvalidInput("the archive is larger than 5 MB", field="file", code="bad_archive")
    outcomes = archive.import_archive(db, data, author=admin.username, reason=reason or "import from the console")
    said = [_written(request, db, o) for o in outcomes] or ["Nothing to import: every file matches the active version."]
    return _back("/admin/config", " ".join(said))


@router.post("/proposals/{proposal_id}/approve", dependencies=CSRF)
def approve(proposal_id: ProposalId, request: Request, admin: Admin, db: DbSession):
    version = changes.approve(db, proposal_id, admin.username)
    return _back("/admin/config", _written(request, db, changes.Outcome(version=version)))


@router.post("/proposals/{proposal_id}/reject", dependencies=CSRF)
def reject(proposal_id: ProposalId, admin: Admin, db: DbSession, reason: Reason = ""):
    proposal = changes.reject(db, proposal_id, admin.username, reason)
    return _back("/admin/config", f"Rejected proposal {proposal.id}.")


@router.get("/{name}")
def history(name: str, request: Request, user: Operator, db: DbSession):
    return render(request, "config/history.html", name=name, versions=versions.history(db, name))


@router.get("/{name}/diff")
def diff(
    name: str,
    request: Request,
    user: Operator,
    db: DbSession,
    from_version: int = Query(alias="from", ge=1, le=MAX_INT),
    to_version: int = Query(alias="to", ge=1, le=MAX_INT),
    full: bool = False,
):
    a, b = versions.get_version(db, name, from_version), versions.get_version(db, name, to_version)
    rows = diffs.side_by_side(a.content, b.content)
    shown = rows if full else diffs.with_context(rows)
    return render(request, "config/diff.html", name=name, a=a, b=b, rows=shown, full=full)


@router.get("/{name}/edit")
def edit_form(name: str, request: Request, admin: Admin, db: DbSession):
    active = versions.active_version(db, versions.known_name(name))
    return render(request, "config/edit.html", name=name, content=active.content, base_version=active.number)


@router.post("/{name}/edit", dependencies=CSRF)
def edit_submit(
    name: str,
    request: Request,
    admin: Admin,
    db: DbSession,
    content: Text,
    base_version: Annotated[int, Form(ge=0, le=MAX_INT)],
    reason: Reason = "",
    action: Annotated[str, Form(pattern="^(check|apply)$")] = "check",
):
    """ "Check" shows the problems and the dry run inline; "Apply" saves when valid, else shows why not."""
    content = content.replace("\r\n", "\n")
    form = {"name": name, "content": content, "base_version": base_version, "reason": reason}
    if action == "check":
        return render(
            request, "config/edit.html", **form, preview=changes.preview(db, versions.known_name(name), content)
        )
    try:
        outcome = changes.request_change(
            db, versions.known_name(name), content, author=admin.username, reason=reason, base_version=base_version
        )
    except ConfigError as exc:
        preview = {"valid": False, "problems": [p.to_dict() for p in exc.problems], "dry_run": None}
        return render(request, "config/edit.html", status=422, **form, preview=preview)
    except AppError as exc:
        db.rollback()
        return render(request, "config/edit.html", status=exc.status, **form, error=exc.message)
    return _back(f"/admin/config/{name}", _written(request, db, outcome))


@router.post("/{name}/rollback", dependencies=CSRF)
def rollback(
    name: str,
    request: Request,
    admin: Admin,
    db: DbSession,
    number: Annotated[int, Form(ge=1, le=MAX_INT)],
    reason: Reason = "rollback from the console",
):
    outcome = changes.rollback(db, name, number, author=admin.username, reason=reason or "rollback from the console")
    return _back(f"/admin/config/{name}", _written(request, db, outcome))
