"""A memo's title, as a reader would name it: its subject, not its greeting or address lines."""

from __future__ import annotations

import re

MAX_TITLE_CHARS = 120
_SUBJECT = re.compile(r"^\s*(?:subject|re|title)\s*:\s*(?P<title>\S.*)$", re.IGNORECASE)
_ADDRESS = re.compile(r"^\s*(?:to|from|cc|bcc|date|sent|memo|attn|memorandum)\b\s*:?", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening)|team|all|everyone)\b[^.!?]{0,40}[,!:]?\s*$",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"^[#>*_\s-]+|[*_]+$")


def memo_title(text: str) -> str:
    """The Subject: line if there is one, else the first line that is neither an address field nor a greeting."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        subject = _SUBJECT.match(line)
        if subject:
            return _tidy(subject["title"])
    meaningful = next((line for line in lines if not _ADDRESS.match(line) and not _GREETING.match(line)), "")
    return _tidy(meaningful)


def _tidy(line: str) -> str:
    title = " ".join(_MARKUP.sub("", line.strip()).replace("**", "").replace("__", "").split())
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return title or "Untitled memo"
