"""Removing secrets and writers' text from anything that leaves the machine (the support bundle).

Three sweeps, each blind to where the text came from:
- every known secret value (API keys, the secret key, backup key, tokens, passwords) is replaced;
- anything shaped like a token (long runs of letters and digits, `Bearer ...`, `password=...`) too;
- any run of SHINGLE words that also occurs in a stored memo, chat message or ticket is replaced.
The last is exhaustive without holding every memo in memory: the bundle's own word runs are hashed
first (a small set), then the stored texts are streamed past it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import SecretStr

from memo_coach.settings import Settings

REDACTED = "[redacted]"
REMOVED_TEXT = "[writer's text removed]"
SHINGLE = 5  # words: long enough to be specific to one memo, short enough to catch a quoted sentence
MIN_SECRET_CHARS = 6
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r"(?<![\w-])[\w-]{32,}(?![\w-])")
_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
# `password=x`, `"token": "x"`, `Bearer x`: the value goes, the name stays so the reader knows what was there.
_ASSIGNMENTS = re.compile(
    r"(?i)\b(password|passwd|secret|token|api[_-]?key|authorization)(\"?\s*[:=]\s*\"?)((?:bearer\s+|basic\s+)?[^\s\",;}]+)"
    r"|\b(bearer)(\s+)([^\s\",;}]+)"
)


def known_secrets(settings: Settings) -> list[str]:
    """Every secret value the settings hold, the database URL's password included."""
    values = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            values.append(value.get_secret_value())
    password = urlsplit(settings.database_url).password if settings.database_url else None
    values.append(password or "")
    key_file = settings.data_dir / "secret_key"
    if key_file.is_file():
        values.append(key_file.read_text().strip())
    return sorted({v for v in values if len(v) >= MIN_SECRET_CHARS}, key=len, reverse=True)


def _looks_like_token(run: str) -> bool:
    return bool(re.search(r"\d", run) and re.search(r"[A-Za-z]", run)) and not _REQUEST_ID.match(run)


def scrub_secrets(text: str, secrets: Iterable[str]) -> tuple[str, int]:
    count = 0
    for secret in secrets:
        if secret in text:
            count += text.count(secret)
            text = text.replace(secret, REDACTED)

    def token(match: re.Match) -> str:
        nonlocal count
        if _looks_like_token(match[0]):
            count += 1
            return REDACTED
        return match[0]

    def assignment(match: re.Match) -> str:
        nonlocal count
        name, separator, value = match.groups()[:3] if match[1] else match.groups()[3:]
        if value == REDACTED:
            return match[0]
        count += 1
        return f"{name}{separator}{REDACTED}"

    text = _TOKEN.sub(token, text)
    return _ASSIGNMENTS.sub(assignment, text), count


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def shingles(text: str) -> set[int]:
    words = [w[0].lower() for w in _words(text)]
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


class TextSweep:
    """Finds which of the bundle's word runs occur in stored writers' texts, then removes them."""

    def __init__(self, bundle_texts: Iterable[str]) -> None:
        self.candidates: set[int] = set()
        for text in bundle_texts:
            self.candidates |= shingles(text)
        self.found: set[int] = set()

    def scan(self, stored: Iterable[str | None]) -> None:
        for text in stored:
            if text and self.candidates:
                self.found |= shingles(text) & self.candidates

    def clean(self, text: str) -> tuple[str, int]:
        if not self.found:
            return text, 0
        words = _words(text)
        spans: list[list[int]] = []
        for i in range(len(words) - SHINGLE + 1):
            if hash(tuple(w[0].lower() for w in words[i : i + SHINGLE])) in self.found:
                start, end = words[i].start(), words[i + SHINGLE - 1].end()
                if spans and start <= spans[-1][1]:
                    spans[-1][1] = end
                else:
                    spans.append([start, end])
        for start, end in reversed(spans):
            text = text[:start] + REMOVED_TEXT + text[end:]
        return text, len(spans)
