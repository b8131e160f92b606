"""JSON-lines logs to a size-rotated file in the data directory; on stderr, JSON or short human lines.

A person watching `make run` in a terminal reads "14:32:05 INFO  GET /ops 200 12 ms"; a process
manager, a container runtime or a pipe gets the JSON lines a log collector parses
(MEMO_COACH_LOG_FORMAT=auto|json|text). Colour only on a terminal that shows it, never as raw codes.

Nothing here ever sees a request body: routes log events, not input. As a second line of defence,
extra fields whose names suggest a secret or memo text are replaced by "[redacted]".
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from logging.handlers import RotatingFileHandler
from pathlib import Path

from memo_coach.settings import Settings

# Set by the web door for each request; every log line and every API answer carries it.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

LOG_FILE = Path("logs") / "app.log"
# uvicorn's own loggers print plain lines through handlers of their own; handed to ours, they are JSON too.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# Libraries that narrate routine work at INFO (fontTools: about 75 lines per PDF while subsetting a font).
CHATTY_LOGGERS = ("fontTools",)
_OURS = "_memo_coach_handler"
_SENSITIVE = re.compile(r"pass|secret|token|key|authorization|cookie|text|memo|comment|body", re.I)
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
# uvicorn passes its message again with ANSI colour codes for its own formatter; never ours to print.
_NOT_FIELDS = {"color_message"}
_COLOURS = {"WARNING": "\033[33m", "ERROR": "\033[31m", "CRITICAL": "\033[1;31m", "DEBUG": "\033[2m"}
_RESET = "\033[0m"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception type.

    The line is kept on the record, so the file and stderr handlers format it once between them.
    """

    def format(self, record: logging.LogRecord) -> str:
        cached = record.__dict__.get("_json_line")
        if cached is None:
            cached = record._json_line = self._format(record)
        return cached

    def _format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        fields = record.__dict__
        for name in fields.keys() - _STANDARD - _NOT_FIELDS:
            if not name.startswith("_"):
                entry[name] = "[redacted]" if _is_sensitive(name) else fields[name]
        if record.exc_info and record.exc_info[0]:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """One short line for a person: UTC time, level, message, then the extras that say what happened.

    A request reads "GET /ops 200 12 ms"; other extras follow as key=value (secrets redacted as in the
    JSON). The traceback of an exception follows on its own lines.
    """

    def __init__(self, colour: bool = False) -> None:
        super().__init__()
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        level = f"{record.levelname:<5}"
        if self.colour and record.levelname in _COLOURS:
            level = f"{_COLOURS[record.levelname]}{level}{_RESET}"
        clock = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        line = f"{clock} {level} {_said(record)}"
        if record.exc_info and record.exc_info[0]:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _said(record: logging.LogRecord) -> str:
    fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD | _NOT_FIELDS and not k.startswith("_")}
    message = record.getMessage()
    if message == "request" and {"method", "route", "status"} <= fields.keys():
        message = f"{fields.pop('method')} {fields.pop('route')} {fields.pop('status')}"
        if "duration_ms" in fields:
            message += f" {fields.pop('duration_ms'):g} ms"
        if fields.get("user_id") is None:
            fields.pop("user_id", None)
    extras = " ".join(f"{k}={'[redacted]' if _is_sensitive(k) else v}" for k, v in fields.items())
    rid = request_id_var.get()
    return " ".join(part for part in (message, extras, f"[{rid}]" if rid != "-" else "") if part)


def stderr_formatter(log_format: str, stream=None) -> logging.Formatter:
    """JSON unless asked for text, or (auto) unless stderr is a terminal; colour only where it shows."""
    stream = stream or sys.stderr
    tty = getattr(stream, "isatty", lambda: False)()
    if log_format == "json" or (log_format == "auto" and not tty):
        return JsonFormatter()
    colour = tty and os.environ.get("TERM", "") not in ("", "dumb") and "NO_COLOR" not in os.environ
    return TextFormatter(colour=colour)


@lru_cache(maxsize=1024)
def _is_sensitive(name: str) -> bool:
    return bool(_SENSITIVE.search(name))


@lru_cache(maxsize=4)
def _second(epoch_second: int) -> str:
    return datetime.fromtimestamp(epoch_second, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _timestamp(created: float) -> str:
    """ISO 8601 UTC with milliseconds; the seconds part is formatted once per second, not per line."""
    second = int(created)
    return f"{_second(second)}.{int((created - second) * 1000):03d}+00:00"


class SizeRotatingFileHandler(RotatingFileHandler):
    """Rotates by size like RotatingFileHandler, counting the bytes it wrote itself: the stock handler
    formats every record a second time and asks the text stream for its position on every line, which
    cost more than everything else a request's log line does."""

    def __init__(self, filename: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__(filename, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
        self._written = filename.stat().st_size if filename.exists() else 0

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        return self._written >= self.maxBytes

    def doRollover(self) -> None:
        super().doRollover()
        self._written = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.shouldRollover(record):
                self.doRollover()
            line = self.format(record) + self.terminator
            if self.stream is None:
                self.stream = self._open()
            self.stream.write(line)
            self.flush()
            self._written += len(line.encode("utf-8"))
        except Exception:
            self.handleError(record)


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
    file_handler = SizeRotatingFileHandler(path, settings.log_max_bytes, settings.log_backup_count)
    file_handler.setFormatter(JsonFormatter())
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setFormatter(stderr_formatter(settings.log_format, sys.stderr))
    for handler in (file_handler, stderr_handler):
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in SERVER_LOGGERS:
        server_log = logging.getLogger(name)
        server_log.handlers.clear()
        server_log.propagate = True
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path
