"""The log file rotates by size and keeps a fixed number of old files."""

import json
import logging

from memo_coach.observability.logs import LOG_FILE, configure_logging
from memo_coach.settings import Settings


def test_the_log_rotates_by_size_and_keeps_backup_count_files(tmp_path):
    settings = Settings(data_dir=tmp_path, log_max_bytes=10_000, log_backup_count=2)
    configure_logging(settings)
    log = logging.getLogger("memo_coach.test_rotation")
    try:
        for i in range(400):
            log.info("line %d", i, extra={"route": "/x"})
    finally:
        for handler in [h for h in logging.getLogger().handlers if getattr(h, "_memo_coach_handler", False)]:
            logging.getLogger().removeHandler(handler)
            handler.close()
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == ["app.log", "app.log.1", "app.log.2"]
    for name in files:
        size = (tmp_path / "logs" / name).stat().st_size
        assert size <= 10_000 + 300  # one line may cross the limit before the next rotates
    last = (tmp_path / LOG_FILE).read_text().splitlines()[-1]
    assert json.loads(last)["message"] == "line 399"
