"""Statement labels stay bounded (five kinds, the schema's tables or "other") and logged text carries no literal."""

import pytest

from memo_coach.observability.db_timing import SQL_CHARS, classify, scrub

TABLES = frozenset({"users", "evaluations", "metric_samples", "user"})


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT users.id FROM users WHERE users.username = ?", ("select", "users")),
        ('SELECT "user".id FROM "user" WHERE "user".name = %(name)s', ("select", "user")),
        (
            "SELECT count(*) AS count_1 FROM (SELECT evaluations.id FROM evaluations) AS anon_1",
            ("select", "evaluations"),
        ),
        ("WITH recent AS (SELECT * FROM evaluations) SELECT * FROM recent", ("select", "evaluations")),
        ("  insert into metric_samples (ts) VALUES (?)", ("insert", "metric_samples")),
        ("INSERT OR REPLACE INTO users (id) VALUES (1)", ("insert", "users")),
        ("UPDATE public.users SET name = 'x'", ("update", "users")),
        ("DELETE FROM evaluations WHERE id = 3", ("delete", "evaluations")),
        ("SELECT * FROM sqlite_master", ("select", "other")),  # not one of the schema's tables
        ("SELECT * FROM secret_value_12345", ("select", "other")),
        ("SELECT 1", ("select", "other")),
        ("PRAGMA wal_checkpoint(TRUNCATE)", ("other", "other")),
        ("SAVEPOINT sa_savepoint_1", ("other", "other")),
        ("", ("other", "other")),
    ],
)
def test_kind_and_main_table(sql, expected):
    assert classify(sql, TABLES) == expected


def test_literals_are_replaced_and_the_text_is_short():
    sql = "SELECT anon_1.id FROM users WHERE name = 'it''s a secret' AND age > 42 AND score = 1.5 LIMIT 10"
    assert scrub(sql) == "SELECT anon_1.id FROM users WHERE name = ? AND age > ? AND score = ? LIMIT ?"
    assert len(scrub("SELECT " + ", ".join(f"c{i}" for i in range(1000)) + " FROM users")) == SQL_CHARS
    assert scrub("SELECT\n   id\n\tFROM users") == "SELECT id FROM users"
