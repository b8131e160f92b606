"""`memo-coach config ...`: the same configuration services the API and pages use, for operators' shells."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.auth import approvals
from memo_coach.cli.progress import step
from memo_coach.cli.shared import CLI_ACTOR, _as_is, _fail, _read, _with_session
from memo_coach.config_store import archive, changes, diffs, disk, versions
from memo_coach.config_store.docs import reference
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError

config_app = typer.Typer(help="Validate, change, review and roll back configuration.", no_args_is_help=True)
REFERENCE = Path("docs/configuration.md")
Reason = Annotated[str, typer.Option(help="why; kept with the version and in the audit log")]
# Every command names the configuration first (rubric, prompt, llm ...); validate and set read it
# from config/NAME.yaml, or from --file. A path in NAME's place still works (the older form).
Target = Annotated[str, typer.Argument(metavar="NAME", help="rubric, prompt, llm ... (or a file path)")]
FileOption = Annotated[Path | None, typer.Option("--file", help="read this file instead of config/NAME.yaml")]
FileArgument = Annotated[
    Path | None, typer.Argument(metavar="[FILE]", help="read this file instead of config/NAME.yaml", show_default=False)
]
NameOption = Annotated[str | None, typer.Option(help="which configuration a file path holds; default: its file name")]


def _name_of(file: Path, name: str | None) -> str:
    name = name or file.stem
    if name not in SCHEMAS:
        _fail(f"{file}: cannot tell which configuration file this is; pass --name ({', '.join(SCHEMAS)})")
    return name


def _target(target: str, file: Path | None, name: str | None, path: Path | None = None) -> tuple[str, Path]:
    """(configuration name, file to read) from `NAME [FILE]`, `NAME --file FILE` or the older `FILE [--name NAME]`."""
    if path is not None:
        if file is not None or target not in SCHEMAS:
            _fail(f"give NAME FILE (one of {', '.join(SCHEMAS)}, then the file), or only FILE")
        file = path
    if target in SCHEMAS:
        return target, file or _as_is().settings.config_dir / f"{target}.yaml"
    path = Path(target)
    return _name_of(path, name), path


def _guarded(action):
    """Runs a service call in a session; a refused configuration prints every problem and exits 1."""

    def run(session):
        try:
            return action(session)
        except ConfigError as exc:
            session.rollback()
            _fail(f"refused:\n{exc}")

    return _with_session(run)


def _report(outcome: changes.Outcome) -> None:
    """Writes an applied version back to its file (after commit), then says what happened."""
    if outcome.version is not None:
        disk.write_config(_as_is().settings.config_dir, outcome.version.name, outcome.version.content)
        typer.echo(f"applied {outcome.version.name} v{outcome.version.number} ({outcome.version.checksum[:12]})")
    else:
        typer.echo(f"proposal {outcome.proposal.id} waits for a different admin's approval")


@config_app.command("validate")
def validate_file(
    target: Target,
    path: FileArgument = None,
    file: FileOption = None,
    name: NameOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="also score the sample memos with it")] = False,
) -> None:
    """Check a configuration file through every layer against the active configuration; nothing is changed.

    `validate NAME` reads config/NAME.yaml; `validate NAME FILE` and `validate FILE` read FILE."""
    name, file = _target(target, file, name, path)
    text = _read(file)
    with step(f"Checking {file}" + (" and scoring the sample memos with it" if dry_run else "")):
        preview = _with_session(lambda s: changes.preview(s, name, text))
    if not preview["valid"]:
        _fail(
            "invalid:\n" + "\n".join(p["text"].replace(f"config/{name}.yaml", str(file)) for p in preview["problems"])
        )
    typer.echo(f"{file}: valid")
    if dry_run:
        _print_dry_run(preview["dry_run"])


def _print_dry_run(result: dict | None) -> None:
    if result is None:
        typer.echo("dry run: this file does not change how memos are scored")
        return
    if "samples" not in result:  # not a scoring dry run (monitoring.yaml replays its rules on history)
        typer.echo("dry run: " + json.dumps(result, indent=2, default=str))
        return
    typer.echo(f"dry run: {result['changed']} of {len(result['samples'])} sample memos change")
    for sample in result["samples"]:
        o = sample["overall"]
        typer.echo(f"  {sample['sample']:<28} overall {o['active']} -> {o['proposed']} ({o['change']:+})")
        for c in sample["criteria"]:
            if c["change"] != 0:
                typer.echo(f"      {c['id']:<26} {c['active']} -> {c['proposed']}")


@config_app.command("show")
def show(
    name: str, version: Annotated[int | None, typer.Option(help="an earlier version; default: the active one")] = None
) -> None:
    """Print a file's active (or given) version."""

    def read(session):
        v = (
            versions.get_version(session, name, version)
            if version
            else versions.active_version(session, versions.known_name(name))
        )
        return v.number, v.author, v.created_at, v.content

    number, author, at, content = _with_session(read)
    typer.secho(f"# {name} v{number} by {author} at {at.isoformat()}", fg="cyan", err=True)
    typer.echo(content, nl=False)


@config_app.command("set")
def set_file(
    target: Target,
    reason: Reason,
    path: FileArgument = None,
    file: FileOption = None,
    name: NameOption = None,
    base_version: Annotated[int | None, typer.Option(help="refuse if the active version is no longer this one")] = None,
) -> None:
    """Apply the file as NAME's next version (a proposal under the two-person rule) and write it to config/."""
    name, file = _target(target, file, name, path)
    text = _read(file)
    _report(
        _guarded(
            lambda s: changes.request_change(s, name, text, author=CLI_ACTOR, reason=reason, base_version=base_version)
        )
    )


@config_app.command("history")
def history(name: str) -> None:
    """List every version of a file, newest first."""
    rows = _with_session(
        lambda s: [(v.number, v.is_active, v.created_at, v.author, v.reason) for v in versions.history(s, name)]
    )
    for number, active, at, author, reason in rows:
        typer.echo(f"v{number:<4} {'*' if active else ' '} {at.isoformat()}  {author:<16} {reason}")


@config_app.command("diff")
def diff(name: str, a: int, b: int) -> None:
    """Show what changed from version A to version B."""

    def compare(session):
        old, new = versions.get_version(session, name, a), versions.get_version(session, name, b)
        return diffs.unified(name, old.content, new.content, a, b)

    typer.echo(_with_session(compare) or "(no difference)", nl=False)


@config_app.command("rollback")
def rollback(name: str, number: int, reason: Reason) -> None:
    """Bring back version NUMBER's content as a new version."""
    _report(_guarded(lambda s: changes.rollback(s, name, number, author=CLI_ACTOR, reason=reason)))


@config_app.command("proposals")
def proposals() -> None:
    """List changes waiting for approval."""
    rows = _with_session(
        lambda s: [(p.id, p.name, p.base_number, p.author, p.reason) for p in changes.list_proposals(s)]
    )
    for pid, name, base, author, reason in rows:
        typer.echo(f"#{pid:<4} {name:<10} on v{base:<4} by {author:<16} {reason}")
    if not rows:
        typer.echo("no pending proposals")


@config_app.command("approve")
def approve(
    proposal_id: int,
    admin: Annotated[str, typer.Option("--as", help="the approving admin, who must be present")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="that admin's password")],
    code: Annotated[str | None, typer.Option(help="their authenticator or recovery code, if two-step is on")] = None,
) -> None:
    """Approve a pending proposal as an admin other than its author, who proves it with their password."""

    def approve_as_admin(session):
        purpose = f"approve configuration proposal {proposal_id}"
        approver = approvals.confirm_admin(session, admin, password, code, shell=CLI_ACTOR, purpose=purpose)
        return changes.approve(session, proposal_id, approver.username)

    _report(changes.Outcome(version=_guarded(approve_as_admin)))


@config_app.command("export")
def export(
    out: Annotated[Path | None, typer.Argument(help="the zip archive to write (for `config import`)")] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="instead, write each active version as DIR/NAME.yaml (e.g. config)")
    ] = None,
) -> None:
    """Write the whole active configuration: one zip archive, or (--dir) one file per configuration as
    the app reads them, to put back files that were refused or lost."""
    if (out is None) == (directory is None):
        _fail("give either the zip file to write, or --dir DIR to write NAME.yaml files")
    if out is not None:
        out.write_bytes(_with_session(archive.export_archive))
        typer.echo(f"wrote {out}")
        return
    active = _with_session(lambda s: {n: v.content for n, v in versions.active_versions(s).items()})
    for name, content in sorted(active.items()):
        disk.write_config(directory, name, content)  # keeps the file it replaces beside it
        path = disk.config_path(directory, name)
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            _fail(f"could not write {path}; check the directory's permissions and free space")
        typer.echo(f"{path}: the active version")


@config_app.command("import")
def import_config(file: Path, reason: Reason) -> None:
    """Validate every file in an archive together, then apply the changed ones."""
    data = file.read_bytes()
    outcomes = _guarded(lambda s: archive.import_archive(s, data, author=CLI_ACTOR, reason=reason))
    for outcome in outcomes:
        _report(outcome)
    if not outcomes:
        typer.echo("nothing to import: every file matches the active version")


@config_app.command("docs")
def docs(
    out: Annotated[Path, typer.Option(help="where to write the reference")] = REFERENCE,
    check: Annotated[bool, typer.Option("--check", help="exit 1 when the file is out of date")] = False,
) -> None:
    """Generate the configuration reference from the schemas."""
    text = reference()
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            _fail(f"{out} is out of date; run `memo-coach config docs`")
        typer.echo(f"{out} is up to date")
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}")
