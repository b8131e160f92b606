"""Side-by-side rows line up changed blocks; the unified diff names both versions."""

from memo_coach.config_store.diffs import side_by_side, unified


def test_a_changed_line_sits_beside_its_old_self():
    rows = side_by_side("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(r.kind, r.left_number, r.right_number) for r in rows] == [
        ("same", 1, 1),
        ("changed", 2, 2),
        ("same", 3, 3),
        ("added", None, 4),
    ]


def test_a_removed_line_has_no_right_side():
    rows = side_by_side("a\nb\n", "a\n")
    assert rows[1].kind == "removed" and rows[1].right_number is None and rows[1].left == "b"


def test_the_unified_diff_names_the_versions():
    text = unified("llm", "x: 1\n", "x: 2\n", 3, 4)
    assert text.startswith("--- llm.yaml v3\n+++ llm.yaml v4\n") and "-x: 1\n+x: 2\n" in text
    assert unified("llm", "", "x: 1\n", None, 1).startswith("--- /dev/null")
