"""Differences between two versions of a file: a unified diff for storage and the CLI, rows for side by side."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass


def unified(name: str, old: str, new: str, old_number: int | None, new_number: int) -> str:
    """The unified diff from one version to the next; labels say which versions they are."""
    before = f"{name}.yaml v{old_number}" if old_number else "/dev/null"
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), before, f"{name}.yaml v{new_number}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side view; a line number is None where that side has no line."""

    kind: str  # same | changed | added | removed | gap (unchanged lines left out; `left` says how many)
    left_number: int | None
    left: str
    right_number: int | None
    right: str

    def to_dict(self) -> dict:
        return asdict(self)


def side_by_side(old: str, new: str) -> list[Row]:
    """Aligned rows of both texts, built from difflib's opcodes so changed blocks line up."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row("same", i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            left = (i + 1, a[i]) if i < i2 else (None, "")
            right = (j + 1, b[j]) if j < j2 else (None, "")
            kind = "changed" if left[0] and right[0] else ("removed" if left[0] else "added")
            rows.append(Row(kind, left[0], left[1], right[0], right[1]))
    return rows


CONTEXT_LINES = 3


def with_context(rows: list[Row], context: int = CONTEXT_LINES) -> list[Row]:
    """The changed rows with `context` unchanged rows either side; each longer unchanged run becomes one
    gap row, so a two-line change in a 200-line file reads as a few lines, like `diff -u`."""
    changed = [i for i, row in enumerate(rows) if row.kind != "same"]
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    shown: list[Row] = []
    skipped = 0
    for i, row in enumerate(rows):
        if i in keep:
            if skipped:
                shown.append(_gap(skipped))
                skipped = 0
            shown.append(row)
        else:
            skipped += 1
    if skipped:
        shown.append(_gap(skipped))
    return shown


def _gap(lines: int) -> Row:
    return Row("gap", None, f"{lines} unchanged line{'s' if lines != 1 else ''}", None, "")


def compare(name: str, old_number: int, old: str, new_number: int, new: str) -> dict:
    """Both views of the change between two versions, for the API, pages and CLI."""
    return {
        "name": name,
        "from_version": old_number,
        "to_version": new_number,
        "unified": unified(name, old, new, old_number, new_number),
        "rows": [r.to_dict() for r in side_by_side(old, new)],
    }
