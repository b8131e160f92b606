"""The composition root: every long-lived part of one process, built from `Settings`, under one start/stop.

The doors (the web app, every command, `memo-coach worker`) and first-start bootstrap receive a
`Runtime`; none builds a part itself, and no part hides in a module global, so two runtimes in one
process share nothing but code (tests build several). Parts are built on first use: a command that
only reads health pays for neither the coach nor the analyzer, and `stop()` ends only what was built.

What runs in the background depends on the `Purpose`: the web server starts the analysis processes and
every loop the settings ask for; the worker runs the scheduler in its own thread and takes over stranded
evaluations; a command starts nothing.
"""

from __future__ import annotations

import enum
from functools import cached_property
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach import assembly, malloc
from memo_coach.audit.sealing import sealed
from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.jobs import SWEEP_SECONDS, StrandedJobSweeper
from memo_coach.coaching.llm.sdk_process import SDKProcess
from memo_coach.coaching.service import Coach
from memo_coach.coaching.submissions import Submissions
from memo_coach.config_store.drift import DriftWatcher
from memo_coach.config_store.versions import ConfigCache, read_active
from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.maintenance.metrics import MaintenanceCollector
from memo_coach.maintenance.mode.writes import refuse_writes
from memo_coach.maintenance.scheduler.loop import Scheduler, runner_name
from memo_coach.maintenance.scheduler.runner import TaskRunner
from memo_coach.observability.db_timing import StatementTiming
from memo_coach.observability.evaluation_jobs import PendingEvaluationsCollector
from memo_coach.observability.history.sampler import Sampler
from memo_coach.observability.metrics import llm_call_observer, observe_evaluation
from memo_coach.observability.monitor import Observability
from memo_coach.settings import Settings

if TYPE_CHECKING:
    from memo_coach.coaching.offline.process import AnalysisProcess

CHAT_THREADS = 16  # chat questions waiting on the LLM at once; they must not take every request thread


class Purpose(enum.Enum):
    WEB = "web"  # `memo-coach serve`: analysis in child processes, the loops the settings ask for
    WORKER = "worker"  # `memo-coach worker`: the scheduler and takeovers, analysis in this process
    COMMAND = "command"  # one command: nothing in the background


class Runtime:
    """One process's engine, sessions, configuration cache, evaluators, coach, submissions, observability,
    rule evaluation, scheduler and background loops."""

    def __init__(self, settings: Settings, purpose: Purpose = Purpose.COMMAND) -> None:
        assembly.assemble()
        self.settings = settings
        self.purpose = purpose
        self.owner = runner_name()  # this process's name on task and rule leases
        self._started: list = []

    # -- the database and configuration

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.sqlalchemy_url)
        if self.statement_timing is not None:
            self.statement_timing.attach(engine)
        return engine

    @cached_property
    def statement_timing(self) -> StatementTiming | None:
        """Every statement's duration on this runtime's registry, and the slow ones logged; the threshold
        is monitoring.yaml's, read again at each metric sample."""
        if not self.settings.statement_timing:
            return None
        return StatementTiming(lambda session: read_active(session, MonitoringConfig).slow_statement_ms)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions that seal the audit events they record and check seals and anchors (audit/sealing.py)."""
        return sealed(make_session_factory(self.engine), self.settings)

    @cached_property
    def config(self) -> ConfigCache:
        """The active configuration, parsed once per version, shared by every part of this process."""
        return ConfigCache()

    @cached_property
    def config_watcher(self) -> DriftWatcher | None:
        """Edits to config/*.yaml on this replica's disk become versions (or are refused) without a restart;
        the web server watches, and its health says what it saw."""
        if self.purpose is not Purpose.WEB or self.settings.config_watch_seconds <= 0:
            return None
        return DriftWatcher(self.sessions, self.settings.config_dir, self.settings.config_watch_seconds)

    # -- coaching

    @cached_property
    def analysis(self) -> AnalysisProcess | None:
        """The web server analyses memos in child processes (see offline/process.py); others in-process."""
        if self.purpose is not Purpose.WEB:
            return None
        from memo_coach.coaching.offline.process import AnalysisProcess

        return AnalysisProcess(self.settings.analysis_processes)

    @cached_property
    def llm_process(self) -> SDKProcess:
        return SDKProcess()

    @cached_property
    def evaluators(self) -> EvaluatorChoice:
        # The worker builds the analyzer at once (its dictionary loads while the worker is idle); a command
        # builds it only if it evaluates, after its database work.
        return EvaluatorChoice(
            self.settings,
            llm_call_observer if self.settings.instrumentation else None,
            self.analysis,
            offline_now=self.purpose is Purpose.WORKER,
            llm_process=self.llm_process,
        )

    @cached_property
    def coach(self) -> Coach:
        s = self.settings
        return Coach(
            self.sessions,
            self.evaluators,
            self.config,
            max_chars=s.max_memo_chars,
            on_evaluated=observe_evaluation if s.instrumentation else None,
            deadline_seconds=s.evaluation_deadline_seconds,
            lease_seconds=s.evaluation_lease_seconds,
            workers=s.evaluation_workers,
            queue_size=s.evaluation_queue,
        )

    @cached_property
    def submissions(self) -> Submissions:
        return Submissions(self.coach, refuse_writes)

    @cached_property
    def submit_threads(self):
        """The few threads a submission's checks and storing run on (see web/submission.py)."""
        import anyio

        return anyio.CapacityLimiter(self.settings.submit_threads)

    @cached_property
    def chat_threads(self):
        """Chat questions waiting on the LLM at once, apart from the request threads."""
        import anyio

        return anyio.CapacityLimiter(CHAT_THREADS)

    # -- operations

    @cached_property
    def observability(self) -> Observability:
        registry = assembly.health_registry(self.config_watcher)
        return Observability(
            self.settings, self.engine, self.sessions, registry, self.evaluators, self.config, self.statement_timing
        )

    @property
    def sampler(self) -> Sampler:
        return self.observability.sampler

    @cached_property
    def metrics(self) -> CollectorRegistry:
        """Series of this runtime's database: read from it at scrape time, and its statements' timing;
        process-wide series live on the shared registry (observability/metrics_registry.py), which
        /metrics serves with these."""
        registry = CollectorRegistry(auto_describe=False)
        registry.register(PendingEvaluationsCollector(self.sessions))
        registry.register(MaintenanceCollector(self.sessions))
        if self.statement_timing is not None:
            self.statement_timing.register_on(registry)
        return registry

    @cached_property
    def rule_evaluator(self) -> RuleEvaluator:
        return RuleEvaluator(self.sessions, self.owner, self.settings.public_base_url)

    @cached_property
    def tasks(self) -> TaskRunner:
        return TaskRunner(self.settings, self.engine, self.sessions, self.owner)

    @cached_property
    def scheduler(self) -> Scheduler:
        return Scheduler(self.tasks)

    @cached_property
    def trimmer(self) -> malloc.Trimmer:
        return malloc.Trimmer()

    @cached_property
    def sweeper(self) -> StrandedJobSweeper:
        return StrandedJobSweeper(self.coach.resume_pending, SWEEP_SECONDS)

    # -- one start, one stop

    def start(self) -> Runtime:
        """Starts what this purpose runs in the background; the web server is ready meanwhile."""
        s = self.settings
        if self.purpose is Purpose.COMMAND:
            return self
        if self.analysis is not None:
            self.analysis.start()
        web = self.purpose is Purpose.WEB
        wanted = {  # part -> whether this runtime runs it; a part not wanted is never built
            "trimmer": web,
            "sweeper": s.resume_pending,
            "config_watcher": web,
            "scheduler": web and s.scheduler,
            "sampler": web and s.history_sampler,
            "rule_evaluator": web and s.alert_evaluator,
        }
        for name in (name for name, here in wanted.items() if here):
            part = getattr(self, name)
            if part is not None:
                part.start()
                self._started.append(part)
        return self

    def stop(self) -> None:
        """Stops the loops (a task in flight finishes first), then closes what was built, newest first."""
        for part in reversed(self._started):
            part.stop()
        self._started.clear()
        built = self.__dict__
        # The runtime's own child processes, whether or not the evaluators that use them were ever built.
        for name in ("coach", "analysis", "llm_process"):
            if built.get(name) is not None:
                built[name].close()
        if "engine" in built:
            self.engine.dispose()
