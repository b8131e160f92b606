"""Operators' door to the scheduler, backups, archives and maintenance mode; the public maintenance notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups.health import backup_health, check_history
from memo_coach.maintenance.backups.models import DRILL, VERIFY
from memo_coach.maintenance.backups.orphans import find_orphans
from memo_coach.maintenance.backups.service import BackupTarget, list_backups, verify_backup
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.mode import service as maintenance
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.health import scheduler_health
from memo_coach.maintenance.scheduler.models import OPERATOR
from memo_coach.maintenance.upkeep.archive import archive_view, list_archives, restore_archive
from memo_coach.web.deps import PUBLIC, Admin, DbSession, Operator, RowId, runtime_of
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1", tags=["maintenance"])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SwitchOn(Strict):
    message: str = Field(min_length=1, max_length=500)
    until: AwareDatetime | None = None


class WindowBody(Strict):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    message: str = Field(min_length=1, max_length=500)


def _target(request: Request, db) -> BackupTarget:
    config = read_active(db, MaintenanceConfig)
    return BackupTarget.of(runtime_of(request).settings, runtime_of(request).engine, config.backups)


@router.get("/maintenance", dependencies=[Depends(PUBLIC)])
def public_notice(db: DbSession):
    """For the banner and the status page: whether maintenance is on now and the windows ahead."""
    now = utcnow()
    windows = [maintenance.window_view(w) for w in maintenance.upcoming_windows(db, now)]
    return ok({"now": maintenance.maintenance_state(db, now).to_dict(), "windows": windows})


@router.get("/ops/maintenance/health")
def health(user: Operator, db: DbSession):
    components = [scheduler_health(db, utcnow()), backup_health(db)]
    return ok([c.to_dict() for c in components])


@router.get("/ops/tasks")
def schedule(user: Operator, db: DbSession):
    return ok(tasks.schedule_view(db))


@router.get("/ops/tasks/runs")
def runs(
    user: Operator,
    db: DbSession,
    task: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    limit: int = Query(50, ge=1, le=500),
):
    return ok([tasks.run_view(r) for r in tasks.history(db, task, status, limit)])


@router.get("/ops/tasks/runs/{run_id}")
def run_detail(run_id: RowId, user: Operator, db: DbSession):
    return ok(tasks.run_view(tasks.get_run(db, run_id)))


@router.post("/ops/tasks/{task}/run", status_code=202)
def run_task(task: Annotated[str, Path(max_length=64)], user: Operator, request: Request):
    """Starts the task now in the background; the run record shows how it ends."""
    run_id = tasks.run_now(runtime_of(request).tasks, task, OPERATOR, user.username, background=True)
    return ok({"run_id": run_id}, status=202)


@router.get("/ops/backups")
def backups(user: Operator, request: Request, db: DbSession):
    target = _target(request, db)
    return ok(
        {
            "backups": [m.to_dict() for m in list_backups(target)],
            "corrupt": [c.to_dict() for c in manifests.corrupt(target.directory)],
            "orphans": [o.to_dict() for o in find_orphans(target.directory)],
            "verifications": check_history(db, VERIFY, 20),
            "drills": check_history(db, DRILL, 20),
        }
    )


@router.post("/ops/backups/{backup_id}/verify")
async def verify(backup_id: Annotated[str, Path(max_length=64)], user: Operator, request: Request, db: DbSession):
    target = _target(request, db)
    result = await run_in_threadpool(verify_backup, target, runtime_of(request).sessions, backup_id)
    return ok(result.to_dict())


@router.get("/ops/archives")
def archives(user: Operator, db: DbSession):
    return ok([archive_view(a) for a in list_archives(db)])


@router.post("/ops/archives/{archive_id}/restore")
def archive_restore(archive_id: RowId, user: Admin, db: DbSession):
    return ok({"archive_id": archive_id, "rows_restored": restore_archive(db, archive_id)})


@router.post("/ops/maintenance/on", status_code=201)
def switch_on(body: SwitchOn, user: Operator, db: DbSession):
    window = maintenance.switch_on(db, user.username, body.message, body.until)
    return ok(maintenance.window_view(window), status=201)


@router.post("/ops/maintenance/off")
def switch_off(user: Operator, db: DbSession):
    return ok({"windows_ended": maintenance.switch_off(db, user.username)})


@router.post("/ops/maintenance/windows", status_code=201)
def add_window(body: WindowBody, user: Operator, db: DbSession):
    window = maintenance.schedule_window(db, user.username, body.starts_at, body.ends_at, body.message)
    return ok(maintenance.window_view(window), status=201)


@router.delete("/ops/maintenance/windows/{window_id}")
def cancel_window(window_id: RowId, user: Operator, db: DbSession):
    maintenance.cancel_window(db, user.username, window_id)
    return ok({"cancelled": window_id})
