"""The word-level diff the revision page shows: what went, what came, long unchanged stretches shortened."""

from __future__ import annotations

from memo_coach.coaching.text_diff import CONTEXT_WORDS, DELETE, EQUAL, GAP, INSERT, MAX_WORDS, text_diff


def kinds(diff):
    return [(p.kind, p.text) for p in diff.pieces]


def test_a_reworded_sentence_shows_the_words_that_went_and_came():
    diff = text_diff("We need new servers. They cost money.", "We need four new servers. They cost $38,400.")
    assert kinds(diff) == [
        (EQUAL, "We need"),
        (INSERT, "four"),
        (EQUAL, "new servers. They cost"),
        (DELETE, "money."),
        (INSERT, "$38,400."),
    ]
    assert (diff.added, diff.removed, diff.changed, diff.truncated) == (2, 1, True, False)


def test_a_new_paragraph_is_added_whole_and_the_breaks_are_kept():
    diff = text_diff("First.\n\nThanks", "First.\n\nJonas will move the suites by 25 April.\n\nThanks")
    assert kinds(diff) == [
        (EQUAL, "First.\n\n"),
        (INSERT, "Jonas will move the suites by 25 April."),
        (EQUAL, "\n\nThanks"),
    ]


def test_long_unchanged_stretches_are_collapsed_around_the_change():
    words = [f"w{i}" for i in range(100)]
    after = [*words[:50], "CHANGED", *words[51:]]
    diff = text_diff(" ".join(words), " ".join(after))
    pieces = list(diff.pieces)
    assert [p.kind for p in pieces] == [GAP, EQUAL, DELETE, INSERT, EQUAL, GAP]
    assert pieces[1].words == CONTEXT_WORDS and pieces[4].words == CONTEXT_WORDS
    assert pieces[0].words + pieces[5].words == 99 - 2 * CONTEXT_WORDS


def test_the_same_text_has_no_change_and_a_joined_paragraph_shows_where():
    assert not text_diff("Same words here.", "Same  words\nhere.").changed
    diff = text_diff("One.\n\nTwo.", "One. Two.")
    assert (DELETE, "¶") in kinds(diff) and diff.removed == 0


def test_the_work_is_bounded_and_says_so():
    long = " ".join(f"w{i}" for i in range(MAX_WORDS + 10))
    diff = text_diff(long, long + " more")
    assert diff.truncated and not diff.changed  # the added word is past what was compared
    different = text_diff(" ".join(["the cat"] * 3000), " ".join(["a dog"] * 3000))
    assert different.added == different.removed == 6000
