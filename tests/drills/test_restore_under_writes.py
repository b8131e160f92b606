"""A restore while two writers keep submitting: nothing acknowledged is lost (it is live, or in the
safety backup the restore reports), no writer's result lands in another writer's row, no id is
handed out twice."""

from __future__ import annotations

import re
import threading
import time

import httpx

from memo_coach.db.engine import make_engine
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups.service import BackupTarget, restored_copy
from memo_coach.settings import Settings
from tests.drills import rows

TEXT = "{writer} memo {n}: we ask for two engineers by June to cut the backlog by 30%. Approve by Friday."


class Writer(threading.Thread):
    """Submits memo after memo; retries a refused or dropped one with the same Idempotency-Key."""

    def __init__(self, server, name: str) -> None:
        super().__init__(daemon=True)
        self.server, self.name_, self.stop = server, name, threading.Event()
        self.acknowledged: dict[int, str] = {}  # evaluation id -> the text this writer sent
        self.crossed: list[tuple[str, str]] = []  # (sent, answered) when an answer carries other text
        self.refusals = 0
        self.signed_out = False

    def run(self) -> None:
        self.headers = self.server.sign_in(self.name_)
        with self.server.client() as c:
            n = 0
            while not self.stop.is_set():
                text = TEXT.format(writer=self.name_, n=n)
                if self._send(c, {"Idempotency-Key": f"{self.name_}-{n}"}, text):
                    n += 1

    def _send(self, c: httpx.Client, key: dict, text: str) -> bool:
        try:
            answer = c.post("/api/v1/evaluations/submit", headers={**self.headers, **key}, json={"text_content": text})
        except httpx.HTTPError:
            time.sleep(0.2)
            return False
        if answer.status_code == 401:  # the restore brought back the backup's sessions: sign in again
            self.signed_out = True
            self.headers = self.server.sign_in(self.name_)
            return False
        if answer.status_code == 503:
            self.refusals += 1
            time.sleep(min(float(answer.headers.get("Retry-After", 1)), 0.3))
            return False
        assert answer.status_code == 201, answer.text
        data = answer.json()["data"]
        if data["text_content"] != text:
            self.crossed.append((text, data["text_content"]))
        self.acknowledged[data["id"]] = text
        return True


def _safety_rows(site, safety_id: str) -> dict[int, str]:
    settings = Settings(data_dir=site.data_dir, config_dir=site.config_dir, database_url="")
    engine = make_engine(settings.sqlalchemy_url)
    try:
        target = BackupTarget.of(settings, engine)
        with restored_copy(target, manifests.find(target.directory, safety_id)) as copy:
            return {r["id"]: r["text_content"] for r in rows.evaluations(copy.file)}
    finally:
        engine.dispose()


def test_a_restore_under_two_writers_loses_nothing_acknowledged_and_crosses_nothing(site, fake):
    fake.default = "slow:0.5"  # evaluations are in flight when the restore starts
    site.init(fake.openai_base_url)
    server = site.serve()
    backup = site.cli("backup", "create")
    assert backup.returncode == 0, backup.stderr
    backup_id = re.search(r"backup (\S+) \(", backup.stdout).group(1)
    writers = [Writer(server, "alice"), Writer(server, "bob")]
    for w in writers:
        w.start()
    time.sleep(2)
    restore = site.cli("backup", "restore", backup_id, "--yes-replace-database")
    time.sleep(2)
    for w in writers:
        w.stop.set()
        w.join(timeout=60)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    safety_id = re.search(r"before it: backup (\S+)", restore.stdout).group(1)
    print(restore.stdout)

    live = {r["id"]: r for r in rows.evaluations(site.database)}
    kept = _safety_rows(site, safety_id)
    for w in writers:
        assert not w.crossed, f"{w.name_} was answered with another memo: {w.crossed[:1]}"
        assert w.refusals > 0, "the restore's window refused writes while it ran"
        for ev_id, text in w.acknowledged.items():
            assert live.get(ev_id, {}).get("text_content") == text or kept.get(ev_id) == text, (
                f"acknowledged evaluation {ev_id} of {w.name_} is in neither database"
            )
    assert all(r["text_content"].startswith(r["username"]) for r in live.values()), "a result in another's row"
    # An id in both databases is one and the same evaluation: ids undone by the restore were not reused.
    assert all(kept.get(i) in (None, r["text_content"]) for i, r in live.items()), "an id was handed out twice"
    assert "writes were refused for" in restore.stdout and rows.integrity(site.database) == "ok"
