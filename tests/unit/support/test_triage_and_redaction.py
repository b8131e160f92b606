"""Triage rules and the redaction sweeps, as pure functions."""

from __future__ import annotations

from memo_coach.support.config import SupportConfig, TriageRule
from memo_coach.support.redaction import REDACTED, REMOVED_TEXT, TextSweep, scrub_secrets
from memo_coach.support.tickets.triage import triage

RULES = SupportConfig(
    rules=[
        TriageRule(
            name="evaluation-page", page_prefix="/evaluations", keywords=["wrong"], priority="low", component="llm"
        ),
        TriageRule(name="outage", keywords=["down", "error"], categories=["problem"], priority="urgent"),
        TriageRule(name="anything-else", priority="normal", set_category="other"),
    ]
)


def test_the_first_matching_rule_wins_with_its_context_conditions():
    on_page = triage(RULES, "problem", "Score wrong", "the score looks wrong", {"page": "/evaluations/4"})
    assert (on_page.rule, on_page.priority, on_page.component) == ("evaluation-page", "low", "llm")
    elsewhere = triage(RULES, "problem", "Score wrong", "error everywhere", {"page": "/history"})
    assert (elsewhere.rule, elsewhere.priority) == ("outage", "urgent")
    question = triage(RULES, "question", "Down?", "is it down", {})
    assert (question.rule, question.category) == ("anything-else", "other")


def test_no_rule_gives_the_default_priority():
    result = triage(SupportConfig(), "question", "a", "b", {})
    assert (result.rule, result.priority, result.category) == (None, "normal", "question")


def test_secrets_tokens_and_assignments_are_replaced_but_request_ids_kept():
    text = (
        "key sk-PLANTED-0123456789abcdefghij0123 password=hunter22 rid 0123456789abcdef0123456789abcdef x=s3cret-value"
    )
    cleaned, count = scrub_secrets(text, ["s3cret-value"])
    assert "sk-PLANTED" not in cleaned and "hunter22" not in cleaned and "s3cret-value" not in cleaned
    assert "0123456789abcdef0123456789abcdef" in cleaned and cleaned.count(REDACTED) == count == 3


def test_the_text_sweep_removes_only_runs_found_in_stored_text():
    bundle = "log: the writer said we should hire three more analysts by May, then retried"
    sweep = TextSweep([bundle])
    sweep.scan(["Memo: We should hire three more analysts by May to cut the backlog.", None])
    cleaned, removed = sweep.clean(bundle)
    assert removed == 1 and cleaned == f"log: the writer said {REMOVED_TEXT}, then retried"
    untouched, none = TextSweep([bundle]).clean(bundle)
    assert untouched == bundle and none == 0
