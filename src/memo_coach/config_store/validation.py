"""The layers a configuration change passes before it may be applied: syntax, schema, then semantics.

Syntax and schema live in loader.py. The semantic layer is the list of checks each kind registered
(kinds.py): each sees the whole configuration as it would be after the change, so a rubric edit that
breaks a prompt template is caught too.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from memo_coach.config_store.kinds import SEMANTIC_CHECKS, Candidate
from memo_coach.config_store.loader import ConfigError, ConfigProblem, locate, parse_document


def validate(name: str, text: str, config: Mapping[str, BaseModel], source: str | None = None) -> BaseModel:
    """Every layer in order; raises ConfigError with the problems of the first layer that fails.

    `config` is the active configuration; the candidate replaces its `name` entry for cross-file checks.
    """
    source = source or f"config/{name}.yaml"
    model, root = parse_document(name, text, source)
    candidate = Candidate(name, model, {**config, name: model})
    problems = []
    for check in SEMANTIC_CHECKS.get(name, []):
        for loc, message in check(candidate):
            line, column = locate(root, loc)
            field = ".".join(str(p) for p in loc)
            problems.append(ConfigProblem(source, line, column, field, message, "semantics"))
    if problems:
        raise ConfigError(problems)
    return model
