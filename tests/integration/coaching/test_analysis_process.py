"""The offline analyzer in a child process: the same answers, and a killed child costs no evaluation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil
import pytest

from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.health import analysis_health
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.offline.process import AnalysisProcess
from memo_coach.coaching.samples import list_samples
from memo_coach.component_status import DEGRADED, HEALTHY
from memo_coach.settings import Settings
from tests.support.corpus import default_rubric


@pytest.fixture
def analysis():
    process = AnalysisProcess(processes=1)
    yield process
    process.close()


def _children() -> set[int]:
    return {child.pid for child in psutil.Process().children(recursive=True)}


def test_the_child_answers_exactly_what_the_server_process_would(analysis):
    here = OfflineEvaluator(background_load=False)
    for sample in list_samples():
        assert analysis.evaluate(sample.text, default_rubric()) == here.evaluate(sample.text, default_rubric())
    assert analysis.evaluate("Subject: one\n\nShort.", default_rubric()).provider == "offline"


def test_a_killed_child_costs_no_evaluation_and_is_replaced(analysis, caplog):
    text = list_samples()[0].text
    before = _children()
    expected = analysis.evaluate(text, default_rubric())
    child = (_children() - before).pop()
    os.kill(child, signal.SIGKILL)
    psutil.wait_procs([psutil.Process(child)], timeout=10)
    assert analysis.evaluate(text, default_rubric()) == expected  # answered in this process meanwhile
    assert "analysing in the server process" in caplog.text
    assert analysis_health(choice(analysis)).status == DEGRADED
    assert analysis.evaluate(text, default_rubric()) == expected  # and by a new child
    assert _children() - before - {child}
    assert analysis_health(choice(analysis)).status == HEALTHY


def test_closing_the_evaluator_choice_that_holds_it_ends_the_child(analysis):
    before = _children()
    analysis.evaluate("Subject: one\n\nShort.", default_rubric())
    [child] = [psutil.Process(pid) for pid in _children() - before]
    EvaluatorChoice(Settings(), None, analysis).close()
    _, alive = psutil.wait_procs([child], timeout=10)
    assert alive == []


def choice(analysis: AnalysisProcess) -> EvaluatorChoice:
    """What the web server's health check sees: its evaluator choice, holding this analysis process."""
    return EvaluatorChoice(Settings(), None, analysis)


SERVER_STAND_IN = """
import sys, psutil
from memo_coach.coaching.offline.process import AnalysisProcess
from tests.support.corpus import default_rubric
analysis = AnalysisProcess(processes=1)
analysis.evaluate("Subject: one\\n\\nWe ask for one engineer by June.", default_rubric())
print(*[c.pid for c in psutil.Process().children(recursive=True)], flush=True)
sys.stdin.read()
"""


def test_the_child_leaves_when_its_server_is_killed_with_minus_9():
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_STAND_IN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        children = [psutil.Process(int(pid)) for pid in server.stdout.readline().split()]
        assert children
        server.kill()
        server.wait(10)
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        server.kill()
