"""Schema of config/support.yaml: triage rules, response targets, email, doctor thresholds, technology facts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import Field

from memo_coach.config_store.kinds import Candidate, Finding, Strict, register_kind
from memo_coach.support.models import CATEGORIES, PRIORITIES

Category = Literal[CATEGORIES]
Priority = Literal[PRIORITIES]


class TriageRule(Strict):
    """First matching rule wins: any keyword in the summary or description, and every context condition."""

    name: str = Field(pattern=r"^[a-z0-9_-]{1,64}$", description="names the ticket's cause in reports")
    keywords: list[str] = Field([], description="case-insensitive words or phrases; empty matches any text")
    categories: list[Category] = Field([], description="only tickets of these categories; empty: any")
    page_prefix: str | None = Field(None, description="only tickets sent from a page whose path starts so")
    priority: Priority = Field(description="the priority a matching ticket gets")
    set_category: Category | None = Field(None, description="re-files the ticket under this category")
    component: str | None = Field(
        None, description="the component the ticket is about (llm, database, ...); an open incident on it is linked"
    )


class Target(Strict):
    first_response_hours: float = Field(gt=0, description="hours until the first answer from support")
    resolution_hours: float = Field(gt=0, description="hours until the ticket is resolved")


def _default_targets() -> dict[str, Target]:
    hours = {"urgent": (1, 8), "high": (4, 24), "normal": (24, 72), "low": (72, 240)}
    return {p: Target(first_response_hours=f, resolution_hours=r) for p, (f, r) in hours.items()}


class EmailConfig(Strict):
    from_address: str = Field("support@memo-coach.invalid", description="sender of every support email")
    support_address: str | None = Field(None, description="where new tickets and writers' replies are announced")


class DoctorConfig(Strict):
    budget_seconds: float = Field(0.8, gt=0, le=30, description="the doctor answers within this; slower checks WARN")
    llm_deadline_seconds: float = Field(
        0.5, gt=0, le=30, description="the LLM probe gives up this long after the doctor started"
    )
    disk_warn_free_percent: float = Field(10, ge=0, le=100, description="WARN below this much free disk")
    disk_fail_free_percent: float = Field(2, ge=0, le=100, description="FAIL below this much free disk")
    stranded_after_minutes: float = Field(15, gt=0, description="a pending evaluation older than this is stranded")
    backup_max_age_hours: float = Field(26, gt=0, description="WARN when the newest verified backup is older")


class TechnologyConfig(Strict):
    """What the monthly technology review compares against; recorded by the operator, read offline."""

    known_latest: dict[str, str] = Field({}, description="package or runtime name -> latest version known")
    end_of_life: dict[str, date] = Field({}, description="'python 3.11', 'postgresql 15', ... -> end-of-life date")
    debt_register: str = Field(
        "docs/debt.md", description="the technical-debt register the review reads, relative to the working directory"
    )
    image_max_age_days: int = Field(
        30, ge=1, le=3650, description="the review asks for a new container image when its base is older"
    )


class SupportConfig(Strict):
    default_priority: Priority = Field("normal", description="priority of a ticket no rule matched")
    rules: list[TriageRule] = Field([], description="triage rules, tried in order")
    targets: dict[Priority, Target] = Field(
        default_factory=_default_targets, description="first-response and resolution targets per priority"
    )
    email: EmailConfig = Field(EmailConfig(), description="support email (sent only when SMTP is configured)")
    doctor: DoctorConfig = Field(DoctorConfig(), description="thresholds of `memo-coach doctor`")
    technology: TechnologyConfig = Field(TechnologyConfig(), description="facts for the technology review")
    bundle_log_lines: int = Field(2000, ge=0, le=100_000, description="recent log lines in a support bundle")


def rule_names_are_unique(candidate: Candidate) -> Iterable[Finding]:
    seen: set[str] = set()
    for index, rule in enumerate(candidate.model.rules):
        if rule.name in seen:
            yield ("rules", index, "name"), f"rule name {rule.name!r} is used twice"
        seen.add(rule.name)


def every_priority_has_a_target(candidate: Candidate) -> Iterable[Finding]:
    for priority in PRIORITIES:
        if priority not in candidate.model.targets:
            yield ("targets",), f"no target for priority {priority!r}"
    if candidate.model.doctor.disk_fail_free_percent > candidate.model.doctor.disk_warn_free_percent:
        yield ("doctor", "disk_fail_free_percent"), "must not be above disk_warn_free_percent"


def register() -> None:
    register_kind("support", SupportConfig, [rule_names_are_unique, every_priority_has_a_target])
