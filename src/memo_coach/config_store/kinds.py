"""The registry of configuration kinds: each capability registers the files it owns under config/.

A kind is a name (config/<name>.yaml), a pydantic schema, semantic checks that see the whole
configuration as it would be after a change, and optionally a dry run that shows what a change
would do to behaviour. Adding a kind never edits this package: the owning capability calls
`register_kind` and the app's assembly imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

# (location inside the file as a path of keys and indexes, message)
Finding = tuple[tuple, str]


class Strict(BaseModel):
    """The base of every schema: unknown keys are refused so a typo is never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Candidate:
    """One file's proposed content, seen together with every other file as it would be after the change."""

    name: str
    model: BaseModel
    config: Mapping[str, BaseModel]


SemanticCheck = Callable[[Candidate], Iterable[Finding]]
DryRun = Callable[[Mapping[str, BaseModel], Mapping[str, BaseModel]], dict]
# What one admin must never change alone, whatever auth.yaml says (where API keys and memos are sent):
# (active model or None, proposed model) -> audit details naming what moves, or None when nothing does.
GuardedChange = Callable[[BaseModel | None, BaseModel], dict | None]

# Registration order is dependency order: a kind is applied after the kinds registered before it
# (the rubric before the prompt that renders it), and the reference lists them in this order.
SCHEMAS: dict[str, type[BaseModel]] = {}
SEMANTIC_CHECKS: dict[str, list[SemanticCheck]] = {}
DRY_RUNS: dict[str, DryRun] = {}
# Kinds whose dry run reads the database (a replay of stored history): it is called with the session too.
DRY_RUNS_WITH_SESSION: set[str] = set()
GUARDED_CHANGES: dict[str, GuardedChange] = {}


def register_kind(
    name: str,
    schema: type[BaseModel],
    checks: Iterable[SemanticCheck] = (),
    dry_run: DryRun | None = None,
    *,
    dry_run_reads_database: bool = False,
    guarded: GuardedChange | None = None,
) -> None:
    """Makes config/<name>.yaml a configuration file; calling it again with the same schema changes nothing."""
    if SCHEMAS.get(name, schema) is not schema:
        raise ValueError(f"configuration kind {name!r} is already registered with another schema")
    SCHEMAS[name] = schema
    SEMANTIC_CHECKS[name] = list(checks)
    if dry_run is not None:
        DRY_RUNS[name] = dry_run
    if dry_run_reads_database:
        DRY_RUNS_WITH_SESSION.add(name)
    if guarded is not None:
        GUARDED_CHANGES[name] = guarded
