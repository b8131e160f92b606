"""JSON-lines logs to a size-rotated file in the data directory and to stderr.

Nothing here ever sees a request body: routes log events, not input. As a second line of defence,
extra fields whose names suggest a secret or memo text are replaced by "[redacted]".
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from memo_coach.settings import Settings
from memo_coach.web.envelope import request_id_var

LOG_FILE = Path("logs") / "app.log"
_OURS = "_memo_coach_handler"
_SENSITIVE = re.compile(r"pass|secret|token|key|authorization|cookie|text|memo|comment|body", re.I)
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception type."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = "[redacted]" if _SENSITIVE.search(name) else value
        if record.exc_info and record.exc_info[0]:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(settings: Settings) -> Path:
    """Installs our two handlers on the root logger, replacing ones an earlier create_app installed.

    Idempotent because tests build many apps in one process; other handlers (pytest's) stay.
    """
    path = settings.data_dir / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    file_handler = RotatingFileHandler(
        path, maxBytes=settings.log_max_bytes, backupCount=settings.log_backup_count, encoding="utf-8"
    )
    stderr_handler = logging.StreamHandler(sys.stderr)
    formatter = JsonFormatter()
    for handler in (file_handler, stderr_handler):
        handler.setFormatter(formatter)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    return path
