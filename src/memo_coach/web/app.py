"""create_app(): wires settings, database, the coach, middleware and routers; nothing runs at import."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from memo_coach import __version__, assembly
from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.jobs import SWEEP_SECONDS, StrandedJobSweeper
from memo_coach.coaching.offline.process import AnalysisProcess
from memo_coach.coaching.service import Coach
from memo_coach.config_store.drift import DriftWatcher
from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.maintenance import metrics as maintenance_metrics
from memo_coach.maintenance.scheduler.loop import Scheduler, runner_name
from memo_coach.maintenance.scheduler.runner import Runtime
from memo_coach.observability import evaluation_jobs
from memo_coach.observability.logs import configure_logging
from memo_coach.observability.metrics import llm_call_observer, observe_evaluation
from memo_coach.security.file_modes import file_mode_findings
from memo_coach.settings import Settings, get_settings, make_files_private
from memo_coach.web import errors, malloc
from memo_coach.web.api import (
    account,
    audit,
    auth,
    config,
    docs,
    evaluations,
    feedback,
    health,
    maintenance,
    metrics,
    ops,
    security,
    users,
)
from memo_coach.web.api import incidents as incidents_api
from memo_coach.web.api import support as support_api
from memo_coach.web.api import support_ops as support_ops_api
from memo_coach.web.instrumentation import InstrumentationMiddleware
from memo_coach.web.maintenance_guard import guard_writes
from memo_coach.web.middleware import RequestContextMiddleware
from memo_coach.web.openapi_statuses import declare_statuses
from memo_coach.web.pages import (
    chat_pages,
    config_pages,
    feedback_pages,
    help_pages,
    history_pages,
    incident_pages,
    maintenance_pages,
    memo_pages,
    ops_pages,
    security_pages,
    session_pages,
    status_pages,
    support_pages,
    troubleshooting_pages,
    user_pages,
)
from memo_coach.web.security_headers import SecurityHeadersMiddleware

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
# The pool runs each request's short blocking steps (evaluations have their own admission queue, chat
# questions their own limit). Requests beyond it wait their turn in arrival order (anyio's limiter is
# first come, first served) instead of all running at once and taking turns on the one interpreter
# lock. Measured (`make bench`, throughput suite, 100 connections): 12 threads answered 137-161
# submissions/s with a p99 of 0.9-1.2 s where 40 answered 126-134/s with 1.2-1.6 s; 100 threads cost
# 16 MB more at peak than 40 with 200 writers polling.
CHAT_THREADS = 16  # chat questions waiting on the LLM at once, apart from the pool above
THREADPOOL_SIZE = 12


@asynccontextmanager
async def lifespan(app: FastAPI):
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADPOOL_SIZE
    app.state.analysis.start()
    app.state.chat_threads = anyio.CapacityLimiter(CHAT_THREADS)
    app.state.submit_threads = anyio.CapacityLimiter(app.state.settings.submit_threads)
    trimmer = malloc.Trimmer().start()
    sweeper = StrandedJobSweeper(app.state.coach.resume_pending, SWEEP_SECONDS)
    if app.state.settings.resume_pending:
        sweeper.start()
    watcher = app.state.config_watcher
    if watcher is not None:
        watcher.start(app.state.settings.config_watch_seconds)
    scheduler = None
    if app.state.settings.scheduler:
        runtime = app.state.task_runtime
        scheduler = Scheduler(runtime.settings, runtime.engine, runtime.sessions, owner=runtime.owner)
        scheduler.start()
    sampler = app.state.observability.sampler
    if app.state.settings.history_sampler:
        sampler.start()
    if app.state.settings.alert_evaluator:
        app.state.rule_evaluator.start()
    yield
    app.state.rule_evaluator.stop()
    sampler.stop()
    if scheduler is not None:
        scheduler.stop()  # the task in flight finishes first
    if watcher is not None:
        watcher.stop()
    sweeper.stop()
    app.state.coach.close()
    app.state.analysis.close()
    app.state.engine.dispose()
    trimmer.stop()


def create_app(settings: Settings | None = None) -> FastAPI:
    malloc.limit_arenas()  # before any thread of this process allocates
    assembly.assemble()
    settings = settings or get_settings()
    make_files_private()
    settings.ensure_secret_key()
    app = FastAPI(
        title="Memo AI Coach",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard_writes)],  # maintenance covers every write, whichever route
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.sqlalchemy_url)
    app.state.sessions = make_session_factory(app.state.engine)
    configure_logging(settings)
    for finding in file_mode_findings(settings):
        log.warning("%s: %s", finding["title"], finding["fix"])
    # Edits to config/*.yaml on this replica's disk become versions (or are refused) without a restart.
    watch = settings.config_watch_seconds > 0
    app.state.config_watcher = DriftWatcher(app.state.sessions, settings.config_dir) if watch else None
    measured = settings.instrumentation
    app.state.analysis = AnalysisProcess(settings.analysis_processes)
    evaluators = EvaluatorChoice(settings, llm_call_observer if measured else None, app.state.analysis)
    app.state.coach = Coach(
        app.state.sessions,
        settings.max_memo_chars,
        evaluators,
        on_evaluated=observe_evaluation if measured else None,
        deadline_seconds=settings.evaluation_deadline_seconds,
        lease_seconds=settings.evaluation_lease_seconds,
        workers=settings.evaluation_workers,
        queue_size=settings.evaluation_queue,
    )
    app.state.observability = assembly.observability(
        settings, app.state.engine, app.state.sessions, evaluators, app.state.coach.config, app.state.config_watcher
    )
    app.state.rule_evaluator = RuleEvaluator(app.state.sessions, runner_name())
    app.state.task_runtime = Runtime(settings, app.state.engine, app.state.sessions, runner_name())
    maintenance_metrics.bind(app.state.sessions)
    evaluation_jobs.bind(app.state.sessions)
    errors.install(app)
    pages = (session_pages, memo_pages, history_pages, chat_pages, help_pages, config_pages, maintenance_pages)
    observability = (metrics, ops, feedback, ops_pages, feedback_pages)
    support = (support_api, support_ops_api, support_pages, troubleshooting_pages)
    security_doors = (account, audit, security, security_pages, user_pages)
    for module in (
        health,
        docs,
        auth,
        evaluations,
        users,
        config,
        maintenance,
        *pages,
        *observability,
        *security_doors,
        *support,
    ):
        app.include_router(module.router)
    for module in (incidents_api, incident_pages, status_pages):
        app.include_router(module.router)
    declare_statuses(app)
    app.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if measured:  # added first, so it runs inside the request-id middleware and logs with the id
        app.add_middleware(InstrumentationMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.cookie_secure)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_headers=settings.max_headers,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    return app
