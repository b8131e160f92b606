"""Configuration through the API: read for operators, change, roll back, approve, import for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from memo_coach.config_store import archive, changes, diffs, disk, versions
from memo_coach.config_store.drift import config_health
from memo_coach.config_store.models import ConfigProposal, ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.errors import InvalidInput
from memo_coach.web.deps import Admin, DbSession, Operator, runtime_of
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1/config", tags=["configuration"])
MAX_ARCHIVE_BYTES = 5_000_000
# Version numbers and proposal ids are 32-bit INTEGER columns; larger values are a 422, not an overflow.
MAX_INT = 2**31 - 1
VersionNumber = Annotated[int, Path(ge=1, le=MAX_INT)]
ProposalId = Annotated[int, Path(ge=1, le=MAX_INT)]


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str = Field(max_length=1_000_000, description="the whole YAML file")
    reason: str = Field(min_length=1, max_length=500, description="why; kept with the version and in the audit log")
    base_version: StrictInt | None = Field(
        None, ge=0, le=MAX_INT, description="the version this edit started from; a stale one answers 409 stale_version"
    )


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str = Field(max_length=1_000_000)


class Rollback(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: StrictInt = Field(ge=1, le=MAX_INT, description="the version whose content comes back, as a new version")
    reason: str = Field(min_length=1, max_length=500)
    base_version: StrictInt | None = Field(None, ge=0, le=MAX_INT)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=500)


def version_view(v: ConfigVersion, content: bool = False) -> dict:
    view = {
        "id": v.id,  # what evaluations store as rubric_version_id / prompt_version_id
        "name": v.name,
        "number": v.number,
        "checksum": v.checksum,
        "author": v.author,
        "reason": v.reason,
        "created_at": v.created_at.isoformat(),
        "is_active": v.is_active,
        "diff": v.diff,
    }
    return {**view, "content": v.content} if content else view


def proposal_view(p: ConfigProposal, content: bool = False) -> dict:
    view = {
        "id": p.id,
        "name": p.name,
        "base_version": p.base_number,
        "checksum": p.checksum,
        "author": p.author,
        "reason": p.reason,
        "status": p.status,
        "created_at": p.created_at.isoformat(),
        "decided_by": p.decided_by,
        "decided_at": p.decided_at.isoformat() if p.decided_at else None,
        "version": p.version_number,
    }
    return {**view, "content": p.content} if content else view


def _finish(request: Request, db: DbSession, outcome: changes.Outcome):
    """Commits, then writes an applied version back to disk so the file and the database agree."""
    db.commit()
    if outcome.version is not None:
        disk.write_config(runtime_of(request).settings.config_dir, outcome.version.name, outcome.version.content)
        return ok(version_view(outcome.version), status=200)
    return ok(proposal_view(outcome.proposal), status=202)


@router.get("")
def list_files(user: Operator, db: DbSession):
    active = versions.active_versions(db)
    return ok(
        {
            "files": [version_view(v) for _, v in sorted(active.items())],
            "approval_required": changes.approval_required(db),
            "pending_proposals": len(changes.list_proposals(db)),
        }
    )


@router.get("/status")
def status(request: Request, user: Operator):
    watcher = runtime_of(request).config_watcher
    return ok({"health": config_health(watcher).to_dict(), "disk": watcher.status() if watcher else None})


@router.get("/export", response_class=Response, responses={200: {"content": {"application/zip": {}}}})
def export(user: Admin, db: DbSession):
    name = f"memo-coach-config-{utcnow():%Y%m%dT%H%M%SZ}.zip"
    return Response(
        archive.export_archive(db),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/import")
def import_config(
    request: Request,
    user: Admin,
    db: DbSession,
    file: Annotated[UploadFile, File(description="a zip made by export")],
    reason: Annotated[str, Form(min_length=1, max_length=480)],
):
    data = file.file.read(MAX_ARCHIVE_BYTES + 1)
    if len(data) > MAX_ARCHIVE_BYTES:
        raise InvalidInput("the archive is larger than 5 MB", field="file", code="bad_archive")
    outcomes = archive.import_archive(db, data, author=user.username, reason=reason)
    db.commit()
    for o in outcomes:
        if o.version is not None:
            disk.write_config(runtime_of(request).settings.config_dir, o.version.name, o.version.content)
    return ok(
        {
            "applied": [version_view(o.version) for o in outcomes if o.version],
            "proposed": [proposal_view(o.proposal) for o in outcomes if o.proposal],
        }
    )


@router.get("/proposals")
def proposals(user: Operator, db: DbSession, status: str | None = Query("pending", max_length=16)):
    return ok([proposal_view(p, content=True) for p in changes.list_proposals(db, status or None)])


@router.post("/proposals/{proposal_id}/approve")
def approve(proposal_id: ProposalId, request: Request, admin: Admin, db: DbSession):
    return _finish(request, db, changes.Outcome(version=changes.approve(db, proposal_id, admin.username)))


@router.post("/proposals/{proposal_id}/reject")
def reject(proposal_id: ProposalId, body: Decision, admin: Admin, db: DbSession):
    return ok(proposal_view(changes.reject(db, proposal_id, admin.username, body.reason)))


@router.get("/{name}")
def show(name: str, user: Operator, db: DbSession):
    version = versions.active_version(db, versions.known_name(name))
    return ok(version_view(version, content=True) if version else None)


@router.put("/{name}")
def change(name: str, body: Change, request: Request, admin: Admin, db: DbSession):
    outcome = changes.request_change(
        db, versions.known_name(name), body.content, author=admin.username, reason=body.reason,
        base_version=body.base_version,
    )  # fmt: skip
    return _finish(request, db, outcome)


@router.post("/{name}/check")
def check(name: str, body: Draft, admin: Admin, db: DbSession):
    return ok(changes.preview(db, versions.known_name(name), body.content))


@router.get("/{name}/versions")
def list_versions(name: str, user: Operator, db: DbSession):
    return ok([version_view(v) for v in versions.history(db, name)])


@router.get("/{name}/versions/{number}")
def get_version(name: str, number: VersionNumber, user: Operator, db: DbSession):
    return ok(version_view(versions.get_version(db, name, number), content=True))


@router.get("/{name}/diff")
def diff(
    name: str,
    user: Operator,
    db: DbSession,
    from_version: int = Query(alias="from", ge=1, le=MAX_INT),
    to_version: int = Query(alias="to", ge=1, le=MAX_INT),
):
    a, b = versions.get_version(db, name, from_version), versions.get_version(db, name, to_version)
    return ok(diffs.compare(name, a.number, a.content, b.number, b.content))


@router.post("/{name}/rollback")
def rollback(name: str, body: Rollback, request: Request, admin: Admin, db: DbSession):
    outcome = changes.rollback(
        db, name, body.number, author=admin.username, reason=body.reason, base_version=body.base_version
    )
    return _finish(request, db, outcome)
