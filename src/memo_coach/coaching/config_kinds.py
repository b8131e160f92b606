"""The coach's configuration files: rubric.yaml, prompt.yaml and llm.yaml, with their semantic checks.

Registered with the configuration store by the app's assembly; the dry run of each scores the sample
memos with the proposed configuration. A change of llm.yaml's base_url is guarded: it names where API
keys and memos go, so its host must be allowed (llm_hosts.py) and a second admin must approve it.
"""

from __future__ import annotations

from collections.abc import Iterable

from memo_coach.coaching.config_schemas import LLMConfig, PromptConfig
from memo_coach.coaching.dry_run import dry_run
from memo_coach.coaching.llm_hosts import PROVIDER_HOSTS, allowed_hosts, host_of, refusal
from memo_coach.coaching.rubric import Rubric
from memo_coach.config_store.kinds import Candidate, Finding, register_kind
from memo_coach.settings import get_settings


def criterion_ids_are_unique(candidate: Candidate) -> Iterable[Finding]:
    seen: set[str] = set()
    for i, criterion in enumerate(candidate.model.criteria):
        if criterion.id in seen:
            yield ("criteria", i, "id"), f"criterion id {criterion.id!r} is used twice"
        seen.add(criterion.id)


def weights_add_up(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.model
    total = sum(c.weight for c in rubric.criteria)
    if abs(total - rubric.total_weight) > 1e-6:
        yield ("total_weight",), f"criterion weights add up to {total:g}, not total_weight {rubric.total_weight:g}"


def guidance_for_every_score(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.model
    points = list(rubric.scale.points)
    for i, c in enumerate(rubric.criteria):
        missing = [p for p in points if not c.guidance.get(p, "").strip()]
        if missing:
            yield ("criteria", i, "guidance"), f"criterion {c.id}: no guidance for score {', '.join(map(str, missing))}"
        for p in c.guidance:
            if p not in points:
                yield (
                    ("criteria", i, "guidance", p),
                    f"criterion {c.id}: score {p} is outside the scale {points[0]}..{points[-1]}",
                )


def prompts_render_with_this_rubric(candidate: Candidate) -> Iterable[Finding]:
    prompts = candidate.config.get("prompt")
    if prompts is not None:
        for template, message in render_problems(prompts, candidate.model):
            yield ("criteria",), f"prompt template {template} does not render with this rubric: {message}"


def templates_render(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.config.get("rubric")
    if rubric is not None:
        for template, message in render_problems(candidate.model, rubric):
            yield tuple(template.split(".")), message


def backoff_is_ordered(candidate: Candidate) -> Iterable[Finding]:
    llm = candidate.model
    if llm.backoff_base_seconds > llm.backoff_max_seconds:
        yield ("backoff_base_seconds",), "must not exceed backoff_max_seconds"


def base_urls_are_allowed(candidate: Candidate) -> Iterable[Finding]:
    # The allow-list is the process's environment, never a file an admin edits, and a check has no
    # runtime to ask: the process's settings are read here.
    allowed = allowed_hosts(get_settings().llm_allowed_hosts)
    for provider in PROVIDER_HOSTS:
        url = getattr(candidate.model, provider).base_url
        problem = refusal(url, allowed) if url is not None else None
        if problem:
            yield (provider, "base_url"), problem


def destinations_moved(active: LLMConfig | None, proposed: LLMConfig) -> dict | None:
    """The hosts API keys and memos would go to from now on, where a base_url changes (for the audit)."""
    moved = {}
    for provider, default in PROVIDER_HOSTS.items():
        before = getattr(active, provider).base_url if active else None
        after = getattr(proposed, provider).base_url
        if before != after:
            moved[provider] = {
                "from": host_of(before) if before else default,
                "to": host_of(after) if after else default,
            }
    return {"llm_hosts": moved} if moved else None


def render_problems(prompts: PromptConfig, rubric: Rubric) -> list[tuple[str, str]]:
    """(template, problem) for each template that fails to render with `rubric` and a sample memo."""
    # Jinja only when a change is validated: the assembly imports this module for every command.
    from memo_coach.coaching.prompt import PromptTemplateError, render_chat_system, render_evaluation, render_repair
    from memo_coach.coaching.samples import list_samples

    memo = list_samples()[0].text
    evaluation = _sample_evaluation(rubric)
    renders = (
        lambda: render_evaluation(prompts, memo, rubric),
        lambda: render_repair(prompts, "rubric_scores: field required", "{}"),
        lambda: render_chat_system(prompts, memo, [memo], rubric, evaluation),
    )
    problems = []
    for render in renders:
        try:
            render()
        except PromptTemplateError as exc:
            problems.append((exc.template, str(exc)))
    return problems


def _sample_evaluation(rubric: Rubric) -> dict:
    """An evaluation shaped like a stored one, for rendering the chat template."""
    top = rubric.scale.max
    return {
        "rubric_scores": [
            {"criterion_id": c.id, "name": c.name, "weight": c.weight, "score": top, "justification": "sample"}
            for c in rubric.criteria
        ],
        "strengths": ["sample strength"],
        "opportunities": ["sample opportunity"],
        "segment_feedback": [],
    }


def register() -> None:
    register_kind(
        "rubric",
        Rubric,
        [criterion_ids_are_unique, weights_add_up, guidance_for_every_score, prompts_render_with_this_rubric],
        dry_run,
    )
    register_kind("prompt", PromptConfig, [templates_render], dry_run)
    register_kind("llm", LLMConfig, [backoff_is_ordered, base_urls_are_allowed], dry_run, guarded=destinations_moved)
