"""Removing secrets and writers' text from anything that leaves the machine (the support bundle).

Four sweeps, each blind to where the text came from:
- every known secret value (API keys, the secret key, backup key, tokens, passwords) is replaced;
- anything shaped like a token (long runs of letters and digits, `Bearer ...`, `password=...`) too;
- any run of SHINGLE words that also occurs in a stored memo, chat message or ticket is replaced;
- in JSON, any string that is a name typed at a failed sign-in and no account (a password typed into
  the username field, say) is replaced.
The third is exhaustive without holding every memo in memory: the bundle's own word runs are hashed
first (a small set), then the stored texts are streamed past it once. The fourth compares whole JSON
strings against a set, so its cost does not grow with the number of names an attack typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from memo_coach.settings import Settings

REDACTED = "[redacted]"
REMOVED_TEXT = "[writer's text removed]"
TYPED_NAME = "[name typed at a failed sign-in]"
SHINGLE = 5  # words: long enough to be specific to one memo, short enough to catch a quoted sentence
MIN_SECRET_CHARS = 6
# The shortest password auth.yaml can ask for: a shorter typed name cannot be one, and comparing it
# would blank ordinary values such as "error" in the bundle.
MIN_TYPED_NAME_CHARS = 8
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


def _replace_names(value: Any, names: set[str]) -> tuple[Any, int]:
    if isinstance(value, str):
        return (TYPED_NAME, 1) if value.lower() in names else (value, 0)
    if isinstance(value, list):
        pairs = [_replace_names(v, names) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        cleaned, count = {}, 0
        for key, item in value.items():
            new_key, key_count = _replace_names(key, names)
            cleaned[new_key], item_count = _replace_names(item, names)
            count += key_count + item_count
        return cleaned, count
    return value, 0


def scrub_typed_names(text: str, names: set[str], *, json_lines: bool) -> tuple[str, int]:
    """A JSON document, or JSON lines, with every string equal to one of `names` (lower-case) replaced,
    ignoring case. Text that is not JSON, and JSON holding none of them, is returned unchanged."""
    names = {n for n in names if len(n) >= MIN_TYPED_NAME_CHARS}
    if not names:
        return text, 0
    pieces = text.split("\n") if json_lines else [text]
    total = 0
    for i, piece in enumerate(pieces):
        try:
            data = json.loads(piece)
        except ValueError:
            continue
        data, count = _replace_names(data, names)
        if count:
            total += count
            pieces[i] = json.dumps(data, ensure_ascii=False) if json_lines else json.dumps(data, indent=2) + "\n"
    return "\n".join(pieces), total
