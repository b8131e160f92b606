"""Follow-up questions about an evaluation: the LLM with the memo, its versions, the rubric and the
evaluation as context; when no LLM answers, a plain statement of that and an answer to the question
asked (chat_questions), read from the writer's own memo (chat_answers), in the memo's language.

The question is stored before the model is called and the answer after, each in its own short
transaction, so a slow model never holds a database write lock.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.chat_answers import ANSWERS, Reply
from memo_coach.coaching.chat_phrases import PHRASES, REASONS
from memo_coach.coaching.chat_questions import DIMENSION_KINDS, what_is_asked
from memo_coach.coaching.history import memo_versions
from memo_coach.coaching.language import detect
from memo_coach.coaching.llm.errors import LLMError
from memo_coach.coaching.models import COACH, WRITER, ChatMessage, Evaluation
from memo_coach.coaching.offline.analyzer import on_scale
from memo_coach.coaching.offline.features import MemoFeatures, extract_features
from memo_coach.coaching.offline.languages import speaking
from memo_coach.coaching.offline.scoring import judge
from memo_coach.coaching.prompt import PromptTemplateError, render_chat_system
from memo_coach.coaching.rubric import Criterion, Framework, Rubric
from memo_coach.coaching.text_input import require_text
from memo_coach.db.engine import session_scope

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 2000
HISTORY_MESSAGES = 12  # earlier turns sent back to the model, so a long chat keeps a bounded prompt
WEAKEST_CRITERIA = 2  # "how do I improve?" is answered for the two criteria with most room


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
    """Says plainly that no AI answered, then answers the question asked from the memo itself, in the
    memo's language: its own sentences quoted, what they lack, and a rewrite where one is real.

    A question about nothing the memo can answer gets a plain "cannot" and the questions it can answer.
    """
    language = detect(memo).code
    reply = Reply(memo, PHRASES[language], language)
    reply.line("offline", reason=REASONS.get(language, {}).get(reason, reason))
    rubric = rubric.in_language(language)
    asked = what_is_asked(question, rubric)
    scores = {s["criterion_id"]: s["score"] for s in result.get("rubric_scores", [])}
    with speaking(language):
        features = extract_features(memo)
        if not asked.kinds and not asked.frameworks:
            reply.line("cannot")
            reply.blocks.append("\n".join(f"- {example}" for example in reply.say["examples"]))
        for kind in asked.kinds:
            _answer_kind(kind, features, reply, rubric, scores)
    reply.blocks.extend(_framework_guidance(f) for f in asked.frameworks)
    return "\n\n".join(reply.blocks)


def _answer_kind(kind: str, features: MemoFeatures, reply: Reply, rubric: Rubric, scores: dict[str, int]) -> None:
    if kind == "improve":
        reply.line("weakest")
        for criterion in _weakest(rubric, scores, features):
            _heading(criterion, scores, reply, rubric)
            ANSWERS[DIMENSION_KINDS[criterion.analyzer]](features, reply)
        return
    criterion = next((c for c in rubric.criteria if DIMENSION_KINDS[c.analyzer] == kind), None)
    if criterion is not None:
        _heading(criterion, scores, reply, rubric)
    ANSWERS[kind](features, reply)


def _heading(criterion: Criterion, scores: dict[str, int], reply: Reply, rubric: Rubric) -> None:
    score = scores.get(criterion.id)
    if score is None:
        reply.line("unscored", name=criterion.name)
    else:
        reply.line("scored", name=criterion.name, score=score, max=rubric.scale.max)


def _weakest(rubric: Rubric, scores: dict[str, int], features: MemoFeatures) -> list[Criterion]:
    """The two criteria with most room: by the evaluation's scores, or the analyzer's when it has none."""

    def room(c: Criterion) -> tuple[float, float]:
        if scores:  # a criterion the evaluation did not score has no known room
            return scores.get(c.id, rubric.scale.max), -c.weight
        return on_scale(judge(c.analyzer, features).score, rubric), -c.weight

    return sorted(rubric.criteria, key=room)[:WEAKEST_CRITERIA]


def _framework_guidance(f: Framework) -> str:
    steps = "".join(f"\n- {g}" for g in f.guidance)
    return f"{f.name}: {f.summary}{steps}"
