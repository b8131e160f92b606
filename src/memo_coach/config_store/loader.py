"""Parses a configuration file and says exactly where it is wrong: file, line, column and field."""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from memo_coach.config_store.kinds import SCHEMAS

# libyaml's safe loader is ten times faster; configuration is parsed on every change and cache refresh.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Bounds on what one file may cost: a few kilobytes of aliases can expand to gigabytes, so aliases are
# refused outright, and the size and node count are capped before anything is constructed.
MAX_CONFIG_BYTES = 256 * 1024
MAX_NODES = 20_000
MAX_PROBLEMS = 50
# Parsed documents by (schema, text): one start reads the same active versions several times (the import,
# the files refused on disk, the coach's snapshot, the health checks), and the schemas are frozen, so the
# parsed model is shared. A failure is never kept: its problems name the source it was read from. (The
# one validator that reads a registry, maintenance.yaml's task names, reads one that only grows.)
CACHED_DOCUMENTS = 32
_parsed: OrderedDict[tuple[type[BaseModel], str], tuple[BaseModel, yaml.Node]] = OrderedDict()
_parsed_lock = threading.Lock()


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    layer: str = "schema"  # syntax | schema | semantics: which check found it

    def to_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


class ConfigError(Exception):
    """Names every problem, up to MAX_PROBLEMS (a hostile file must not make a megabyte of errors)."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS + 1
            first = problems[0]
            problems = [*problems[: MAX_PROBLEMS - 1], ConfigProblem(first.file, None, None, "", f"and {rest} more")]
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def locate(root: yaml.Node | None, loc: tuple, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of the deepest node along loc, so a problem found anywhere points at its text."""
    node = _node_at(root, loc, key)
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (None, None)


def _node_at(root: yaml.Node | None, loc: tuple, key: bool = False) -> yaml.Node | None:
    """The deepest YAML node along a pydantic error location; the key's own node when `key`."""
    node = root
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if pair is None:
                return node
            node = pair[0] if key and i == len(loc) - 1 else pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names valid at the parent of loc, for "did you mean" hints."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        ann = field.annotation if field else None
        args = getattr(ann, "__args__", ()) or (ann,)
        current = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return list(current.model_fields) if current else []


def _message(err: dict, model: type[BaseModel]) -> str:
    if err["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(err["loc"][-1]), _known_keys(model, err["loc"]), n=1)
        return "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
    return err["msg"].removeprefix("Value error, ")


def parse(name: str, text: str, source: str | None = None) -> BaseModel:
    """Validates one file's text against its schema; raises ConfigError naming every problem."""
    return parse_document(name, text, source)[0]


def parse_document(name: str, text: str, source: str | None = None) -> tuple[BaseModel, yaml.Node]:
    """The syntax and schema layers: the model and the YAML node tree later layers locate problems in."""
    key = (SCHEMAS[name], text)
    with _parsed_lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]
    parsed = _parse_document(name, text, source or f"config/{name}.yaml")
    with _parsed_lock:
        _parsed[key] = parsed
        if len(_parsed) > CACHED_DOCUMENTS:
            _parsed.popitem(last=False)
    return parsed


def _compose(text: str) -> tuple[yaml.Node | None, object]:
    """The node tree and the data built from it: one pass of the parser where compose-then-load made two."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _parse_document(name: str, text: str, source: str) -> tuple[BaseModel, yaml.Node]:
    model = SCHEMAS[name]
    try:
        _check_cost(text, source)
        root, data = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax: {getattr(exc, 'problem', None) or exc}"
        raise ConfigError([ConfigProblem(source, line, column, "", message, "syntax")]) from None
    if not isinstance(data, dict):
        raise ConfigError([ConfigProblem(source, 1, 1, "", "expected a mapping of keys at the top level", "syntax")])
    try:
        return model.model_validate(data), root
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line, column = locate(root, err["loc"], key=err["type"] == "extra_forbidden")
            field = ".".join(str(p) for p in err["loc"])
            problems.append(ConfigProblem(source, line, column, field, _message(err, model)))
        raise ConfigError(problems) from None


def _check_cost(text: str, source: str) -> None:
    """Refuses a document that is too large, uses aliases, or has too many nodes, by its events alone."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        raise ConfigError([ConfigProblem(source, None, None, "", f"larger than {MAX_CONFIG_BYTES:,} bytes", "syntax")])
    nodes = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            raise ConfigError(
                [ConfigProblem(source, line, column, "", "YAML aliases (*name) are not allowed", "syntax")]
            )
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                message = f"more than {MAX_NODES:,} values"
                raise ConfigError([ConfigProblem(source, event.start_mark.line + 1, None, "", message, "syntax")])


def load_file(name: str, config_dir: Path) -> tuple[BaseModel, str]:
    path = config_dir / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), None, None, "", f"cannot read: {exc}")]) from None
    return parse(name, text, str(path)), text
