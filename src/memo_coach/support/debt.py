"""The technical-debt register (docs/debt.md) as the monthly technology review reads it: which entries'
triggers have come. Debt that only lives in old notes is paid when someone remembers; a register that the
schedule reads each month is paid when its trigger says so.

An entry is a `### D<n> · title` heading under `## Open`, followed by `- field: value` lines: `why`,
`cost` and `trigger` in words, `due` (the date it is looked at again whatever happens), and optionally
`when: <table> rows > <N>`, a condition the review can check in the database itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select, table

REQUIRED = ("why", "cost", "trigger", "due")
_HEADING = re.compile(r"^### (D\d+) · (.+)$")
_FIELD = re.compile(r"^- (\w[\w ]*): (.+)$")
_ROWS = re.compile(r"^(\w+) rows > ([\d,]+)$")


@dataclass(frozen=True)
class DebtEntry:
    id: str
    title: str
    trigger: str
    due: date
    rows_over: tuple[str, int] | None  # (table, N): due once the table holds more than N rows


def parse_register(text: str) -> tuple[list[DebtEntry], list[str]]:
    """The open entries and, for each entry that cannot be read, what is wrong with it (never an exception:
    a badly written entry must not stop the review that would show it)."""
    blocks: list[tuple[str, str, dict[str, str]]] = []
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif section == "Open" and (heading := _HEADING.match(line)):
            blocks.append((heading.group(1), heading.group(2).strip(), {}))
        elif section == "Open" and blocks and (field := _FIELD.match(line)):
            blocks[-1][2][field.group(1).strip()] = field.group(2).strip()
    entries, problems = [], []
    for ident, title, fields in blocks:
        entry, problem = _entry(ident, title, fields)
        if problem:
            problems.append(f"{ident}: {problem}")
        else:
            entries.append(entry)
    return entries, problems


def _entry(ident: str, title: str, fields: dict[str, str]) -> tuple[DebtEntry | None, str | None]:
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        return None, f"no {', '.join(missing)}"
    try:
        due = date.fromisoformat(fields["due"])
    except ValueError:
        return None, f"due {fields['due']!r} is not a date (YYYY-MM-DD)"
    rows_over = None
    if "when" in fields:
        found = _ROWS.match(fields["when"])
        if not found:
            return None, f"when {fields['when']!r} is not `<table> rows > <N>`"
        rows_over = (found.group(1), int(found.group(2).replace(",", "")))
    return DebtEntry(ident, title, fields["trigger"], due, rows_over), None


def row_counts(engine: Engine, tables: set[str]) -> dict[str, int | None]:
    """Rows per named table; None for a name the database does not have (the entry then says so)."""
    present = set(inspect(engine).get_table_names())
    counts: dict[str, int | None] = {}
    with engine.connect() as conn:
        for name in sorted(tables):
            counts[name] = conn.scalar(select(func.count()).select_from(table(name))) if name in present else None
    return counts


def come(entries: list[DebtEntry], counts: dict[str, int | None], today: date) -> list[dict[str, Any]]:
    """The entries whose trigger has come, each with the reason the review can state."""
    due = []
    for entry in entries:
        reasons = [f"due {entry.due.isoformat()}"] if entry.due <= today else []
        if entry.rows_over:
            name, limit = entry.rows_over
            rows = counts.get(name)
            if rows is None:
                reasons.append(f"table {name} not found: check the trigger by hand")
            elif rows > limit:
                reasons.append(f"{name} holds {rows:,} rows, over {limit:,}")
        if reasons:
            due.append({"id": entry.id, "title": entry.title, "trigger": entry.trigger, "because": reasons})
    return due


def debt_review(path: Path, engine: Engine, now: datetime) -> dict[str, Any]:
    if not path.is_file():
        return {"register": str(path), "open": None, "come": [], "problems": [f"no debt register at {path}"]}
    entries, problems = parse_register(path.read_text())
    counts = row_counts(engine, {e.rows_over[0] for e in entries if e.rows_over})
    return {
        "register": str(path),
        "open": len(entries),
        "come": come(entries, counts, now.date()),
        "problems": problems,
    }
