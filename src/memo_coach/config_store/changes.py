"""Every way a configuration changes (edit, rollback, import, file on disk) goes through here.

When auth.yaml sets `require_approval`, a change becomes a proposal that a different admin approves;
otherwise it is applied at once. A guarded change (a kind says which: where API keys and memos are
sent) is always a proposal. Either way it is validated first, so a proposal is always appliable
unless someone else changes the file in between (then approving it answers stale_version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.config_store import versions
from memo_coach.config_store.kinds import DRY_RUNS, DRY_RUNS_WITH_SESSION, GUARDED_CHANGES
from memo_coach.config_store.loader import ConfigError, parse
from memo_coach.config_store.models import APPROVED, PENDING, REJECTED, ConfigProposal, ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class Outcome:
    """Exactly one of the two is set: the applied version, or the proposal waiting for approval."""

    version: ConfigVersion | None = None
    proposal: ConfigProposal | None = None


# Who may approve whose change is auth's knowledge (this package knows no capability): it registers
# checks that get (session, author, approver) and raise when that approver may not approve that author.
ApproverCheck = Callable[[Session, str, str], None]
APPROVER_CHECKS: list[ApproverCheck] = []


def register_approver_check(check: ApproverCheck) -> None:
    if check not in APPROVER_CHECKS:
        APPROVER_CHECKS.append(check)


def approval_required(session: Session) -> bool:
    auth = versions.active_models(session).get("auth")
    return bool(auth and auth.require_approval)


def guarded_change(session: Session, name: str, content: str) -> dict | None:
    """What a guarded change moves (audit details), or None when the change is not guarded."""
    guard = GUARDED_CHANGES.get(name)
    if guard is None:
        return None
    active = versions.active_version(session, name)
    return guard(parse(name, active.content) if active else None, parse(name, content))


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
    guarded = guarded_change(session, name, content)
    if guarded is None and not approval_required(session):
        return Outcome(
            version=versions.apply(session, name, content, author=author, reason=reason, base_version=base_version)
        )
    proposal = _propose(session, name, content, author=author, reason=reason, base_version=base_version)
    if guarded is not None:
        audit.record(session, author, "config.guarded_change_proposed", f"{name} proposal {proposal.id}", guarded)
    return Outcome(proposal=proposal)


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
    """Applies a pending proposal; the approver must be someone other than its author, and pass every
    registered approver check."""
    proposal = _pending(session, proposal_id)
    if proposal.author == approver:
        raise Forbidden("a different admin must approve this change", code="same_author")
    for check in APPROVER_CHECKS:
        check(session, proposal.author, approver)
    guarded = guarded_change(session, proposal.name, proposal.content)
    version = versions.apply(
        session,
        proposal.name,
        proposal.content,
        author=proposal.author,
        reason=f"{proposal.reason} (approved by {approver})",
        base_version=proposal.base_number or None,
    )
    _decide(proposal, APPROVED, approver, version.number)
    details = {"version": version.number, **(guarded or {})}
    audit.record(session, approver, "config.approved", f"{proposal.name} proposal {proposal.id}", details)
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
