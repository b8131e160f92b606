"""Triage: the first rule of config/support.yaml whose keywords and context match sets priority and cause."""

from __future__ import annotations

from dataclasses import dataclass

from memo_coach.support.config import SupportConfig, TriageRule


@dataclass(frozen=True)
class Triage:
    rule: str | None
    category: str
    priority: str
    component: str | None


def _matches(rule: TriageRule, category: str, text: str, page: str) -> bool:
    if rule.categories and category not in rule.categories:
        return False
    if rule.page_prefix and not page.startswith(rule.page_prefix):
        return False
    return not rule.keywords or any(word.lower() in text for word in rule.keywords)


def triage(config: SupportConfig, category: str, summary: str, description: str, context: dict) -> Triage:
    text = f"{summary}\n{description}".lower()
    page = str(context.get("page") or "")
    for rule in config.rules:
        if _matches(rule, category, text, page):
            return Triage(rule.name, rule.set_category or category, rule.priority, rule.component)
    return Triage(None, category, config.default_priority, None)
