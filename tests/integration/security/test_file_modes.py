"""Finding 6: data, backups and logs were world-readable (directories 755, files 644)."""

import os
import stat

from memo_coach.security.file_modes import file_mode_findings
from memo_coach.web.app import create_app
from tests.support.helpers import initialise, make_settings


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_what_the_service_creates_is_private_even_under_a_lax_umask(tmp_path):
    previous = os.umask(0o022)  # what a default shell gives
    try:
        cfg = make_settings(tmp_path, f"sqlite:///{tmp_path / 'data' / 'memo_coach.db'}")
        initialise(cfg)
        create_app(cfg)
    finally:
        os.umask(previous)
    data = tmp_path / "data"
    created = [data, data / "memo_coach.db", data / "secret_key", *data.rglob("*.log")]
    assert len(created) >= 4
    assert {str(p): oct(mode(p)) for p in created if mode(p) & 0o077} == {}
    assert file_mode_findings(cfg) == []


def test_a_file_others_can_read_is_reported_with_its_fix(tmp_path):
    cfg = make_settings(tmp_path, f"sqlite:///{tmp_path / 'data' / 'memo_coach.db'}")
    initialise(cfg)
    database = tmp_path / "data" / "memo_coach.db"
    database.chmod(0o644)
    findings = file_mode_findings(cfg)
    assert [f["path"] for f in findings] == [str(database)]
    assert findings[0]["fix"] == f"chmod 600 {database}"
