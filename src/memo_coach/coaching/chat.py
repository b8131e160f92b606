"""Follow-up questions about an evaluation: the LLM with the memo, its versions, the rubric and the
evaluation as context; when no LLM answers, a plain statement of that and an answer read from the
writer's own memo: the sentences that matter for the question, quoted, and how they could read.

The question is stored before the model is called and the answer after, each in its own short
transaction, so a slow model never holds a database write lock.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.history import memo_versions
from memo_coach.coaching.llm.errors import LLMError
from memo_coach.coaching.models import COACH, WRITER, ChatMessage, Evaluation
from memo_coach.coaching.offline.features import extract_features
from memo_coach.coaching.offline.rewrites import passages
from memo_coach.coaching.prompt import PromptTemplateError, render_chat_system
from memo_coach.coaching.rubric import Criterion, Framework, Rubric
from memo_coach.coaching.text_input import require_text
from memo_coach.db.engine import session_scope

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 2000
HISTORY_MESSAGES = 12  # earlier turns sent back to the model, so a long chat keeps a bounded prompt
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Stems (first four letters) of words too common in questions to point at a criterion.
_COMMON_WORDS = (
    "the and for how can you are was our why not but who its any all has had get did one out "
    "about after again also could does from have into make more should that their them then there these "
    "this what when where which while will with would your memo feedback score improve better"
)
_STOP_STEMS = frozenset(w[:4] for w in _COMMON_WORDS.split())


def conversation(session: Session, evaluation_id: int) -> list[ChatMessage]:
    return list(
        session.scalars(select(ChatMessage).where(ChatMessage.evaluation_id == evaluation_id).order_by(ChatMessage.id))
    )


def clean_question(question: str) -> str:
    return require_text(question.strip(), MAX_QUESTION_CHARS, field="question", noun="question", code="question")


def ask(sessions: sessionmaker[Session], coach, evaluation_id: int, user_id: int, question: str) -> ChatMessage:
    """Stores the question, gets an answer (LLM or offline guidance), stores and returns the answer."""
    question = clean_question(question)
    with session_scope(sessions) as session:
        ev = session.get(Evaluation, evaluation_id)
        config = coach.config.current(session)
        earlier = [v.text_content for v in memo_versions(session, ev.memo_id) if v.revision < ev.revision]
        history = [{"role": _api_role(m.role), "content": m.content} for m in conversation(session, evaluation_id)]
        session.add(ChatMessage(evaluation_id=evaluation_id, user_id=user_id, role=WRITER, content=question))
        memo, result = ev.text_content, ev.result or {}
    text, offline = _answer(coach, config, memo, earlier, result, history[-HISTORY_MESSAGES:], question)
    with session_scope(sessions) as session:
        answer = ChatMessage(evaluation_id=evaluation_id, user_id=user_id, role=COACH, content=text, offline=offline)
        session.add(answer)
    return answer


def _answer(coach, config, memo, earlier, result, history, question) -> tuple[str, bool]:
    client = coach.evaluators.llm_client(config)
    if client is None:
        return offline_answer(question, memo, config.rubric, result, "no language model is configured"), True
    try:
        system = render_chat_system(config.prompt, memo, earlier, config.rubric, result)
        text = client.complete(system, [*history, {"role": "user", "content": question}]).strip()
    except (LLMError, PromptTemplateError) as exc:
        log.warning("chat answered offline: %s", exc)
        return offline_answer(question, memo, config.rubric, result, "the language model is unavailable"), True
    if not text:
        return offline_answer(question, memo, config.rubric, result, "the language model gave an empty answer"), True
    return text, False


def _api_role(role: str) -> str:
    return "user" if role == WRITER else "assistant"


def offline_answer(question: str, memo: str, rubric: Rubric, result: dict, reason: str) -> str:
    """Says plainly that no AI answered, then answers from the memo itself.

    The criteria the question names (or, if it names none, the weakest one) are answered with the
    writer's own sentences that matter for them and how each could read.
    """
    criteria, frameworks = relevant_guidance(question, rubric)
    scores = {s["criterion_id"]: s["score"] for s in result.get("rubric_scores", [])}
    lines = [f"The coach is offline right now ({reason}), so this answer comes from reading your memo, not from an AI."]
    if not criteria and not frameworks:
        weakest = _weakest(rubric, scores)
        lines.append(
            f"Your question does not name part of the rubric, so here is where your memo has most room: {weakest.name}."
        )
        criteria = [weakest]
    features = extract_features(memo)
    lines.extend(_criterion_answer(c, scores.get(c.id), rubric, features) for c in criteria[:2])
    lines.extend(_framework_guidance(f) for f in frameworks)
    return "\n\n".join(lines)


def _weakest(rubric: Rubric, scores: dict[str, int]) -> Criterion:
    return min(rubric.criteria, key=lambda c: (scores.get(c.id, rubric.scale.max), -c.weight))


def _criterion_answer(c: Criterion, score: int | None, rubric: Rubric, features) -> str:
    scored = f" (your memo scored {score}/{rubric.scale.max})" if score is not None else ""
    found = passages(c.analyzer, features)
    if not found:
        return f"{c.name}{scored}: there is no sentence in your memo to work from yet. {_next_level(c, score, rubric)}"
    shown = [f"{c.name}{scored}:"]
    for passage in found:
        shown.append(f'> "{passage.quote}"\n{passage.note} It could read:\n> "{passage.could_read}"')
    return "\n\n".join(shown)


def _next_level(c: Criterion, score: int | None, rubric: Rubric) -> str:
    target = rubric.scale.max if score is None or score >= rubric.scale.max else score + 1
    return f"What {target} looks like: {c.guidance[target]}"


def relevant_guidance(question: str, rubric: Rubric) -> tuple[list[Criterion], list[Framework]]:
    """Criteria and frameworks whose id, name or description share a significant word with the question."""
    asked = _words(question)
    criteria = [c for c in rubric.criteria if asked & _words(f"{c.id} {c.name} {c.description}")]
    frameworks = [f for f in rubric.frameworks if asked & _words(f"{f.id} {f.name}")]
    return criteria, frameworks


def _words(text: str) -> set[str]:
    # Four-letter stems, so "risky" meets "risks" and "structured" meets "structure".
    return {w.lower()[:4] for w in _WORD.findall(text.replace("_", " "))} - _STOP_STEMS


def _framework_guidance(f: Framework) -> str:
    steps = "".join(f"\n- {g}" for g in f.guidance)
    return f"{f.name}: {f.summary}{steps}"
