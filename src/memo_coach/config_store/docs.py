"""The configuration reference, generated from the schemas so it cannot drift from them.

`memo-coach config docs` writes it to docs/configuration.md; a test fails when the committed file differs.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from memo_coach.config_store.kinds import SCHEMAS

HEADER = """# Configuration reference

Generated from the schemas by `memo-coach config docs`; do not edit by hand.

Every file under `config/` is validated in layers before it is applied: YAML syntax, the schema
below (unknown keys are refused, with a suggestion when one is close to a known key), then
semantic checks (for example: rubric weights add up to `total_weight`, every criterion has
guidance for every score, prompt templates render with the rubric and a sample memo).
See [config.md](config.md) for how changes are made, reviewed, versioned and rolled back.
"""

_BOUNDS = ((at.Ge, "ge", ">="), (at.Gt, "gt", ">"), (at.Le, "le", "<="), (at.Lt, "lt", "<"))


def reference() -> str:
    parts = [HEADER]
    for name, model in SCHEMAS.items():
        parts.append(f"\n## config/{name}.yaml\n")
        parts.append("\n| key | type | default | rules | meaning |\n| --- | --- | --- | --- | --- |\n")
        parts += [_row(path, field) for path, field in _fields(model, "")]
    return "".join(parts)


def _fields(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, FieldInfo]]:
    for key, field in model.model_fields.items():
        path = f"{prefix}{key}"
        yield path, field
        nested, suffix = _nested_model(field.annotation)
        if nested is not None:
            yield from _fields(nested, f"{path}{suffix}.")


def _nested_model(annotation) -> tuple[type[BaseModel] | None, str]:
    """The model inside a field (directly, in a list or optional), with the path suffix for lists."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "[]"
    return None, ""


def _row(path: str, field: FieldInfo) -> str:
    cells = (f"`{path}`", _type_name(field.annotation), _default(field), _rules(field), field.description or "")
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |\n"


def _type_name(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if hasattr(annotation, "reference_type"):  # a type that says how the reference names it (a text per language)
        return annotation.reference_type
    return {int: "integer", float: "number", str: "text", bool: "true/false"}.get(annotation, str(annotation))


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value = field.default_factory()
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return "see below"
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value!r}`" if value == "" else f"`{value}`" if value not in ([], {}) else "empty"


def _rules(field: FieldInfo) -> str:
    rules = []
    for meta in field.metadata:
        for kind, attr, symbol in _BOUNDS:
            if isinstance(meta, kind):
                rules.append(f"{symbol} {getattr(meta, attr)}")
        if isinstance(meta, at.MinLen):
            rules.append(f"at least {meta.min_length} long")
        pattern = getattr(meta, "pattern", None)
        if pattern:
            rules.append(f"matches `{pattern}`")
    return ", ".join(rules)
