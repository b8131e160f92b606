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


def test_with_context_keeps_the_changes_and_three_lines_around_them():
    from memo_coach.config_store.diffs import with_context

    old = "\n".join(f"line {n}" for n in range(1, 101))
    new = old.replace("line 50", "line fifty")
    shown = with_context(side_by_side(old, new))
    assert [r.kind for r in shown] == ["gap", *["same"] * 3, "changed", *["same"] * 3, "gap"]
    assert shown[0].left == "46 unchanged lines" and shown[-1].left == "47 unchanged lines"
    assert with_context(side_by_side("a\n", "a\n")) == [with_context(side_by_side("a\n", "a\n"))[0]]
