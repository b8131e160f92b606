"""The technical-debt register: docs/debt.md reads without a problem, and an entry comes due by its date or
by its table's row count, never by an entry the review cannot read."""

from __future__ import annotations

from datetime import date

from memo_coach.assembly import assemble
from memo_coach.db.base import Base
from memo_coach.support.debt import come, parse_register
from tests.support.helpers import REPO

REGISTER = """# Technical debt

## Open

### D1 · Past its date
- why: w
- cost: c
- trigger: t1
- due: 2027-01-01

### D2 · A table grew
- why: w
- cost: c
- trigger: t2
- due: 2030-01-01
- when: audit_events rows > 1,000

### D3 · Neither yet
- why: w
- cost: c
- trigger: t3
- due: 2030-01-01
- when: audit_events rows > 1,000,000

### D4 · No cost said
- why: w
- trigger: t4
- due: 2030-01-01

### D5 · A date in words
- why: w
- cost: c
- trigger: t5
- due: next spring

### D6 · A condition in words
- why: w
- cost: c
- trigger: t6
- due: 2030-01-01
- when: when it hurts

### D7 · A table that is not there
- why: w
- cost: c
- trigger: t7
- due: 2030-01-01
- when: no_such_table rows > 5

## Paid, or not debt

### D8 · Paid long ago
- due: 2000-01-01
"""


def test_the_register_in_docs_reads_without_a_problem_and_its_conditions_name_real_tables():
    entries, problems = parse_register((REPO / "docs" / "debt.md").read_text())
    assert problems == []
    assert len(entries) >= 20 and len({e.id for e in entries}) == len(entries)
    assemble()
    assert {e.rows_over[0] for e in entries if e.rows_over} <= set(Base.metadata.tables)


def test_entries_it_cannot_read_are_named_with_the_reason():
    entries, problems = parse_register(REGISTER)
    assert [e.id for e in entries] == ["D1", "D2", "D3", "D7"]  # D8 is under "Paid"
    assert problems == [
        "D4: no cost",
        "D5: due 'next spring' is not a date (YYYY-MM-DD)",
        "D6: when 'when it hurts' is not `<table> rows > <N>`",
    ]


def test_an_entry_comes_due_by_its_date_or_its_row_count():
    entries, _ = parse_register(REGISTER)
    due = come(entries, {"audit_events": 1_001, "no_such_table": None}, date(2027, 1, 1))
    assert [(d["id"], d["because"]) for d in due] == [
        ("D1", ["due 2027-01-01"]),
        ("D2", ["audit_events holds 1,001 rows, over 1,000"]),
        ("D7", ["table no_such_table not found: check the trigger by hand"]),
    ]
    assert due[0]["trigger"] == "t1" and due[0]["title"] == "Past its date"
    assert [d["id"] for d in come(entries, {"audit_events": 1_000}, date(2026, 12, 31))] == ["D7"]
