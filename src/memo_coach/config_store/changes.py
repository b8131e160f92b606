"""Every way a configuration changes (edit, rollback, import, file on disk) goes through here.

When auth.yaml sets `require_approval`, a change becomes a proposal that a different admin approves;
otherwise it is applied at once. Either way it is validated first, so a proposal is always appliable
unless someone else changes the file in between (then approving it answers stale_version).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.config_store import versions
from memo_coach.config_store.kinds import DRY_RUNS, DRY_RUNS_WITH_SESSION
from memo_coach.config_store.loader import ConfigError
from memo_coach.config_store.models import APPROVED, PENDING, REJECTED, ConfigProposal, ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class Outcome:
    """Exactly one of the two is set: the applied version, or the proposal waiting for approval."""

    version: ConfigVersion | None = None
    proposal: ConfigProposal | None = None


def approval_required(session: Session) -> bool:
    auth = versions.active_models(session).get("auth")
    return bool(auth and auth.require_approval)


def preview(session: Session, name: str, content: str) -> dict:
    """Inline validation and the dry run, without changing anything: what the editor shows before saving."""
    active = versions.active_models(session)
    try:
        model = versions.validate_change(session, name, content)
    except ConfigError as exc:
        return {"valid": False, "problems": [p.to_dict() for p in exc.problems], "dry_run": None}
    dry_run = DRY_RUNS.get(name)
    extra = (session,) if name in DRY_RUNS_WITH_SESSION else ()
    effect = dry_run(active, {**active, name: model}, *extra) if dry_run else None
    return {"valid": True, "problems": [], "dry_run": effect}


def request_change(
    session: Session, name: str, content: str, *, author: str, reason: str, base_version: int | None = None
) -> Outcome:
    """Applies a change, or records it as a proposal under the two-person rule."""
    if not reason.strip():
        raise InvalidInput("say why: a change needs a reason", field="reason", code="missing_reason")
    if not approval_required(session):
        return Outcome(
            version=versions.apply(session, name, content, author=author, reason=reason, base_version=base_version)
        )
    return Outcome(proposal=_propose(session, name, content, author=author, reason=reason, base_version=base_version))


def rollback(
    session: Session, name: str, number: int, *, author: str, reason: str, base_version: int | None = None
) -> Outcome:
    """Brings back an earlier version's content as a new version (history is never rewritten)."""
    target = versions.get_version(session, name, number)
    audit.record(session, author, "config.rollback_requested", f"{name} v{number}", {"reason": reason})
    return request_change(
        session,
        name,
        target.content,
        author=author,
        reason=f"rollback to v{number}: {reason}",
        base_version=base_version,
    )


def _propose(
    session: Session, name: str, content: str, *, author: str, reason: str, base_version: int | None
) -> ConfigProposal:
    versions.validate_change(session, name, content)
    current = versions.active_version(session, name)
    versions.check_base(current, base_version)
    if current is not None and current.checksum == versions.checksum(content):
        raise InvalidInput(f"{name} already has this content (version {current.number})", code="unchanged")
    proposal = ConfigProposal(
        name=name,
        base_number=current.number if current else 0,
        content=content,
        checksum=versions.checksum(content),
        author=author,
        reason=reason,
        status=PENDING,
    )
    session.add(proposal)
    session.flush()
    audit.record(session, author, "config.proposed", f"{name} proposal {proposal.id}", {"reason": reason})
    return proposal


def get_proposal(session: Session, proposal_id: int) -> ConfigProposal:
    proposal = session.get(ConfigProposal, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id}", field="proposal_id")
    return proposal


def list_proposals(session: Session, status: str | None = PENDING) -> list[ConfigProposal]:
    query = select(ConfigProposal).order_by(ConfigProposal.id.desc())
    if status:
        query = query.where(ConfigProposal.status == status)
    return list(session.scalars(query))


def approve(session: Session, proposal_id: int, approver: str) -> ConfigVersion:
    """Applies a pending proposal; the approver must be someone other than its author."""
    proposal = _pending(session, proposal_id)
    if proposal.author == approver:
        raise Forbidden("a different admin must approve this change", code="same_author")
    version = versions.apply(
        session,
        proposal.name,
        proposal.content,
        author=proposal.author,
        reason=f"{proposal.reason} (approved by {approver})",
        base_version=proposal.base_number or None,
    )
    _decide(proposal, APPROVED, approver, version.number)
    audit.record(
        session, approver, "config.approved", f"{proposal.name} proposal {proposal.id}", {"version": version.number}
    )
    return version


def reject(session: Session, proposal_id: int, by: str, reason: str = "") -> ConfigProposal:
    proposal = _pending(session, proposal_id)
    _decide(proposal, REJECTED, by, None)
    audit.record(session, by, "config.rejected", f"{proposal.name} proposal {proposal.id}", {"reason": reason})
    return proposal


def _pending(session: Session, proposal_id: int) -> ConfigProposal:
    proposal = get_proposal(session, proposal_id)
    if proposal.status != PENDING:
        raise Conflict(f"proposal {proposal_id} is already {proposal.status}", code="already_decided")
    return proposal


def _decide(proposal: ConfigProposal, status: str, by: str, version_number: int | None) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, utcnow()
    proposal.version_number = version_number
