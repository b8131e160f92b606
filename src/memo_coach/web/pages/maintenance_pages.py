"""The maintenance console: schedule, failures and history, run now, backups, maintenance windows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.errors import AppError, InvalidInput
from memo_coach.maintenance.backups.health import backup_health, check_history, verification_states
from memo_coach.maintenance.backups.models import DRILL, VERIFY
from memo_coach.maintenance.backups.service import BackupTarget, list_backups
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.mode import service as maintenance
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.health import scheduler_health
from memo_coach.maintenance.scheduler.models import FAILED, OPERATOR, TIMED_OUT
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import DbSession, Operator, RowId, runtime_of
from memo_coach.web.flash import redirect_with
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)
CONSOLE = "/ops/maintenance"


def _back(message: str = "", error: str = "") -> RedirectResponse:
    return redirect_with(CONSOLE, error, "error") if error else redirect_with(CONSOLE, message)


@router.get(CONSOLE)
def console(request: Request, user: Operator, db: DbSession):
    now = utcnow()
    config = read_active(db, MaintenanceConfig)
    target = BackupTarget.of(runtime_of(request).settings, runtime_of(request).engine, config.backups)
    failures = [tasks.run_view(r) for s in (FAILED, TIMED_OUT) for r in tasks.history(db, status=s, limit=10)]
    backups = list_backups(target)[:15]
    return render(
        request,
        "maintenance_console.html",
        now=now,
        components=[scheduler_health(db, now), backup_health(db)],
        schedule=tasks.schedule_view(db, now),
        failures=sorted(failures, key=lambda r: r["id"], reverse=True)[:10],
        runs=[tasks.run_view(r) for r in tasks.history(db, limit=25)],
        backups=backups,
        standing=verification_states(db, [m.id for m in backups]),
        verifications=check_history(db, VERIFY, 10),
        drills=check_history(db, DRILL, 10),
        state=maintenance.maintenance_state(db, now),
        windows=[maintenance.window_view(w) for w in maintenance.upcoming_windows(db, now)],
    )


@router.post(CONSOLE + "/tasks/{task}/run", dependencies=[Depends(verify_csrf)])
def run_now(request: Request, user: Operator, task: Annotated[str, Path(max_length=64)]):
    """A plain form post (redirects back) or, from the page's script, JSON naming the run to follow."""
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        run_id = tasks.run_now(runtime_of(request).tasks, task, OPERATOR, user.username, background=True)
    except AppError as exc:
        if wants_json:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return _back(error=exc.message)
    if wants_json:
        return JSONResponse(
            {"run_id": run_id, "task": task, "follow": f"{CONSOLE}/runs/{run_id}.json"}, status_code=202
        )
    return _back(f"started {task} (run {run_id}); reload to see how it ends")


@router.get(CONSOLE + "/runs/{run_id}.json")
def run_state(run_id: RowId, user: Operator, db: DbSession):
    """One run's state, which the page's script polls until the run ends."""
    view = tasks.run_view(tasks.get_run(db, run_id))
    keys = ("id", "task", "trigger", "status", "reason", "summary", "started_at", "finished_at", "duration_seconds")
    return JSONResponse({key: view[key] for key in keys})


def _utc(value: str, field: str) -> datetime | None:
    """The form's datetime-local fields are read as UTC, as the page says."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"{field}: not a date and time", field=field) from None


@router.post(CONSOLE + "/mode", dependencies=[Depends(verify_csrf)])
def switch(
    user: Operator,
    db: DbSession,
    action: Annotated[str, Form(pattern="^(on|off)$")],
    message: Annotated[str, Form(max_length=500)] = "",
    until: Annotated[str, Form(max_length=32)] = "",
):
    try:
        if action == "off":
            return _back(f"maintenance off ({maintenance.switch_off(db, user.username)} window(s) ended)")
        maintenance.switch_on(db, user.username, message, _utc(until, "until"))
    except AppError as exc:
        db.rollback()
        return _back(error=exc.message)
    return _back("maintenance on: writers see the banner and submissions wait")


@router.post(CONSOLE + "/windows", dependencies=[Depends(verify_csrf)])
def plan_window(
    user: Operator,
    db: DbSession,
    starts_at: Annotated[str, Form(max_length=32)] = "",
    ends_at: Annotated[str, Form(max_length=32)] = "",
    message: Annotated[str, Form(max_length=500)] = "",
):
    try:
        starts, ends = _utc(starts_at, "starts_at"), _utc(ends_at, "ends_at")
        if starts is None or ends is None:
            raise InvalidInput("a window needs a start and an end", field="starts_at")
        window = maintenance.schedule_window(db, user.username, starts, ends, message)
    except AppError as exc:
        db.rollback()
        return _back(error=exc.message)
    return _back(f"window {window.id} planned")


@router.post(CONSOLE + "/windows/{window_id}/cancel", dependencies=[Depends(verify_csrf)])
def cancel(user: Operator, db: DbSession, window_id: RowId):
    try:
        maintenance.cancel_window(db, user.username, window_id)
    except AppError as exc:
        return _back(error=exc.message)
    return _back(f"window {window_id} cancelled")
