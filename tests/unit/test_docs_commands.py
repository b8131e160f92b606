"""Docs that cannot drift: every command, route and setting named in README.md, docs/ and the runbooks exists.

Each `memo-coach ...` command shown is resolved in the real command tree, its options are checked
against the command's own, and its `--help` runs. Each path the docs name under one of the app's
own top-level segments must match a route; each MEMO_COACH_* variable must be a setting.
"""

from __future__ import annotations

import re
import shlex

import click
import pytest
import typer
from typer.testing import CliRunner

from memo_coach.cli.main import app as cli
from memo_coach.settings import Settings
from tests.support.helpers import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
COMMAND = re.compile(r"memo-coach((?:[ \t]+[^\s`|;&)#<>]+)+)")
STOP = re.compile(r"^(\||&&|;|#|>|2>|\)|\\|\.\.\.|…)$")  # where a command ends in prose or shell
# Variables the test suite and CI read (documented for developers), not settings of the app.
NOT_SETTINGS = {"MEMO_COACH_TEST_PG_URL", "MEMO_COACH_REQUIRE_PG", "MEMO_COACH_REQUIRE_BROWSER"}


def _texts() -> list[tuple[str, str]]:
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in DOCS]


def shown_commands() -> list[tuple[str, list[str]]]:
    """(doc, words after memo-coach), each distinct command line once."""
    found, seen = [], set()
    for name, text in _texts():
        for match in COMMAND.finditer(text):
            try:
                words = shlex.split(match.group(1), posix=True)
            except ValueError:
                words = match.group(1).split()
            words = [w for w in words if w]
            for i, word in enumerate(words):
                if STOP.match(word):
                    words = words[:i]
                    break
            if words and tuple(words) not in seen:
                seen.add(tuple(words))
                found.append((name, words))
    return found


def resolve(words: list[str]) -> tuple[list[str], object, list[str]]:
    """(command path, the command, the words after it); fails on a word that should be a command."""
    command = typer.main.get_command(cli)
    path = []
    rest = list(words)
    while hasattr(command, "commands") and rest and not rest[0].startswith("-"):
        word = rest.pop(0)
        context = click.Context(command)
        assert word in command.list_commands(context), f"`memo-coach {' '.join([*path, word])}` is not a command"
        _, command, _ = command.resolve_command(context, [word])
        path.append(word)
    return path, command, rest


@pytest.mark.parametrize(("doc", "words"), shown_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_command_shown_exists_with_its_options(doc, words):
    path, command, rest = resolve(words)
    assert path, f"{doc}: `memo-coach {' '.join(words)}` names no command"
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in rest:
        option = word.split("=", 1)[0]
        if option.startswith("--"):
            assert option in known | {"--help"}, f"{doc}: `memo-coach {' '.join(path)}` has no option {option}"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output


def test_the_docs_show_the_support_commands():
    shown = {" ".join(resolve(words)[0]) for _, words in shown_commands()}
    expected = {"doctor", "support-bundle", "logs search", "tickets list", "tickets show", "tickets reply"}
    assert expected | {"tickets assign", "tickets close"} <= shown


def _route_patterns(app) -> list[re.Pattern]:
    from fastapi.routing import APIRoute, iter_route_contexts

    patterns = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, APIRoute):
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(context.path))
            patterns.append(re.compile(f"^{pattern}$"))
    return patterns


PATH = re.compile(r"(?:`|(?:GET|POST|PUT|PATCH|DELETE) )(/[A-Za-z0-9_./{}<>\-]*)")


def test_every_route_named_in_the_docs_exists(app):
    patterns = _route_patterns(app)
    segments = {p.pattern.split("/")[1].rstrip("$") for p in patterns} - {""}
    missing = []
    for doc, text in _texts():
        for path in PATH.findall(text):
            path = re.sub(r"<[^>]+>", "x", path).rstrip(".")
            if path.split("/")[1] not in segments or path.startswith("/static/"):
                continue  # a file system path, not one of ours
            if not any(p.match(path) for p in patterns):
                missing.append((doc, path))
    assert missing == []


def test_every_setting_named_in_the_docs_exists():
    names = {
        (f.validation_alias if isinstance(f.validation_alias, str) else f"MEMO_COACH_{n.upper()}")
        for n, f in Settings.model_fields.items()
    }
    # Variables the shipped configuration names (a notification channel's URL) exist too.
    configured = {
        v for f in (REPO / "config").glob("*.yaml") for v in re.findall(r"MEMO_COACH_[A-Z_]+[A-Z]", f.read_text())
    }
    allowed = names | {f"{n}_FILE" for n in names} | NOT_SETTINGS | configured
    named = {(doc, v) for doc, text in _texts() for v in re.findall(r"MEMO_COACH_[A-Z_]+[A-Z]", text)}
    assert sorted((doc, v) for doc, v in named if v not in allowed) == []
