"""A memo's title is what a reader would call it: the subject, never the greeting or the To: line."""

import pytest

from memo_coach.coaching.titles import memo_title

CASES = {
    "Subject: Approve $38,000 for a ticketing tool\n\nHi all,\n\nWe need it.": "Approve $38,000 for a ticketing tool",
    "To: Executive Leadership Team\nFrom: Lena\nSubject: Hire two analysts\n\nHi all,": "Hire two analysts",
    "Hi all,\n\nThe office is half empty most days.": "The office is half empty most days.",
    "To: Board\nFrom: Ruth\n\nDear Board members,\n\nI recommend a smaller office.": "I recommend a smaller office.",
    "## **Budget** request\n\nText": "Budget request",
    "Re: travel policy\n\nText": "travel policy",
}


@pytest.mark.parametrize(("memo", "title"), CASES.items(), ids=range(len(CASES)))
def test_the_title_comes_from_the_subject_or_the_first_meaningful_line(memo, title):
    assert memo_title(memo) == title


def test_a_long_first_line_is_cut_at_a_word():
    title = memo_title("word " * 60)
    assert len(title) <= 120 and title.endswith("word…")


def test_a_memo_of_only_greetings_is_untitled():
    assert memo_title("Hi all,\n\nTo: everyone") == "Untitled memo"
