"""`memo-coach security` and `memo-coach privacy`: reviews, the compliance report, data export and erasure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from memo_coach.auth import approvals
from memo_coach.auth import users as user_service
from memo_coach.cli.shared import CLI_ACTOR, _echo_json, _runtime, _with_session
from memo_coach.db.base import utcnow
from memo_coach.security import access_review, privacy
from memo_coach.security.compliance import compliance_report, to_markdown
from memo_coach.security.config_review import security_review

security_app = typer.Typer(help="Security reviews and the compliance report.", no_args_is_help=True)
privacy_app = typer.Typer(help="A writer's data: export and erasure.", no_args_is_help=True)
COLOURS = {"high": "red", "medium": "yellow", "low": "cyan", "info": "white"}


@security_app.command("review")
def review(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The security configuration review: each finding with its severity and fix; exit 1 on a high one."""
    settings = _runtime().settings
    result = _with_session(lambda s: security_review(s, settings))
    if as_json:
        _echo_json(result)
    for item in [] if as_json else result["findings"]:
        typer.secho(f"[{item['severity']}] {item['title']}\n    fix: {item['fix']}", fg=COLOURS[item["severity"]])
    if not as_json and not result["findings"]:
        typer.secho("no findings", fg="green")
    if result["counts"]["high"]:
        raise typer.Exit(1)


@security_app.command("access-review")
def start_access_review(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Start an access review now; an admin signs it off with `security sign-off`."""
    view = _with_session(
        lambda s: access_review.review_view(access_review.start_review(s, utcnow(), "on_demand", CLI_ACTOR), True)
    )
    if as_json:
        _echo_json(view)
        return
    typer.echo(f"access review {view['id']}: {view['accounts']} accounts")
    for account in view["report"]["accounts"]:
        flags = ", ".join(account["flags"]) or "-"
        last = account["last_login_at"] or "never"
        typer.echo(f"  {account['username']:<24} {account['role']:<9} last sign-in {last:<32} {flags}")
    typer.echo(f"sign off with: memo-coach security sign-off {view['id']} --admin USERNAME --note '...'")


@security_app.command("sign-off")
def sign_off(
    review_id: int,
    admin: Annotated[str, typer.Option(help="the admin who reviewed it, who must be present")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="that admin's password")],
    note: Annotated[str, typer.Option(help="what was checked and done")] = "",
    code: Annotated[str | None, typer.Option(help="their authenticator or recovery code, if two-step is on")] = None,
) -> None:
    """Record an admin's sign-off of an access review (kept as evidence): a shell is no admin, so the
    admin proves they are present with their password, as for `config approve`."""

    def sign_off_as_admin(session):
        purpose = f"sign off access review {review_id}"
        reviewer = approvals.confirm_admin(session, admin, password, code, shell=CLI_ACTOR, purpose=purpose)
        access_review.sign_off(session, review_id, reviewer, note)

    _with_session(sign_off_as_admin)
    typer.echo(f"access review {review_id} signed off by {admin}")


@security_app.command("compliance")
def compliance(
    fmt: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
    output: Annotated[Path | None, typer.Option(help="file to write; standard output when omitted")] = None,
) -> None:
    """The compliance report: access review, audit chain, backups and drill, retention, scans."""
    report = _with_session(lambda s: compliance_report(s, utcnow()))
    if fmt == "json":
        import json

        text = json.dumps(report, indent=2)
    else:
        text = to_markdown(report)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"written to {output}")


@privacy_app.command("export")
def export(username: str, output: Annotated[Path, typer.Option(help="JSON file to write")]) -> None:
    """Everything stored about one account, as JSON (written with mode 600)."""
    import json

    data = _with_session(lambda s: privacy.export_user_data(s, user_service.get_user(s, username), actor=CLI_ACTOR))
    output.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    output.chmod(0o600)
    typer.echo(f"written to {output}")


@privacy_app.command("requests")
def requests() -> None:
    """Erasure requests waiting for an admin."""
    for item in _with_session(lambda s: [privacy.erasure_view(r) for r in privacy.pending_erasures(s)]):
        typer.echo(f"{item['id']:>5}  {item['username']:<24} requested {item['requested_at']}")


@privacy_app.command("erase")
def erase(request_id: int) -> None:
    """Carry out an erasure request: the writer's memos, evaluations, chat and sessions are deleted."""
    view = _with_session(lambda s: privacy.erasure_view(privacy.carry_out_erasure(s, request_id, actor=CLI_ACTOR)))
    typer.echo(f"erased: {view['deleted']}")
