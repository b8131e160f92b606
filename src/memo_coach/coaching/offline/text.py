"""Cut a memo into lines, blocks and sentences that remember their exact place in the memo.

Every piece keeps its offsets so feedback can quote the writer's own words verbatim; nothing
here rewrites or normalises the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
_BOLD_HEADING = re.compile(r"^(\*\*|__)[^*_]{1,80}(\*\*|__):?$")
_BULLET = re.compile(r"^(?:[-*+•‣▪–]|\d{1,2}[.)]|[a-zA-Z][.)])\s+\S")
_BULLET_MARKER = re.compile(r"(?:[-*+•‣▪–]|\d{1,2}[.)]|[a-zA-Z][.)])\s+")
_HEADER_FIELD = re.compile(r"^(to|from|cc|bcc|date|subject|re|memo|attn)\s*:", re.IGNORECASE)
# Ends of sentences: Latin punctuation followed by space or end, or CJK full stops anywhere.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[」』”）]*")
_WORD = re.compile(
    r"\d+(?:[.,]\d+)*|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+(?:['’-][^\W\u3040-\u30ff\u3400-\u9fff]+)*|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "approx",
        "est",
        "fig",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


@dataclass(frozen=True)
class Block:
    """A unit of layout: a heading, a header field (To:, Subject:), a bullet item or a paragraph."""

    kind: str  # heading | field | bullet | paragraph
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence, an exact substring of the memo at memo[start:end]."""

    text: str
    start: int
    kind: str  # the kind of block it came from
    words: int


def words(text: str) -> list[str]:
    """Words for counting; each CJK character counts as one, since those scripts have no spaces."""
    return _WORD.findall(text)


def _stripped(memo: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) so it neither starts nor ends with whitespace."""
    piece = memo[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return start, max(start, end)


def _line_kind(line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return "blank"
    if _MARKDOWN_HEADING.match(stripped) or _BOLD_HEADING.match(stripped):
        return "heading"
    if _HEADER_FIELD.match(stripped):
        return "field"
    if _BULLET.match(stripped):
        return "bullet"
    if _looks_like_heading(stripped):
        return "heading"
    return "prose"


def _looks_like_heading(line: str) -> bool:
    """Short label lines ("Background:", "NEXT STEPS") organise a memo like markdown headings do."""
    count = len(words(line))
    if count == 0 or count > 8:
        return False
    if line.endswith(":"):
        return True
    return line.isupper() and not line.endswith((".", "!", "?"))


def blocks(memo: str) -> list[Block]:
    """Group lines into blocks: consecutive prose lines form a paragraph, bullets continue on indented lines."""
    found: list[Block] = []
    open_kind, open_start, open_end = "", 0, 0
    for start, end in _lines(memo):
        line = memo[start:end]
        kind = _line_kind(line)
        if kind == "blank":
            open_kind = _close(memo, found, open_kind, open_start, open_end)
            continue
        continues = open_kind in ("paragraph", "bullet") and kind == "prose"
        if continues and (open_kind == "paragraph" or line[:1].isspace()):
            open_end = end
            continue
        _close(memo, found, open_kind, open_start, open_end)
        open_kind = "paragraph" if kind == "prose" else kind
        open_start, open_end = start, end
    _close(memo, found, open_kind, open_start, open_end)
    return found


def _lines(memo: str) -> list[tuple[int, int]]:
    """(start, end) of every line, whatever the line endings (\\n, \\r\\n or \\r)."""
    spans, start = [], 0
    for match in _LINE_BREAK.finditer(memo):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(memo)))
    return spans


def _close(memo: str, found: list[Block], kind: str, start: int, end: int) -> str:
    """Finish the open block, if any, and return the new (empty) open kind."""
    if kind:
        start, end = _stripped(memo, start, end)
        if end > start:
            found.append(Block(kind, start, end, memo[start:end]))
    return ""


def sentences(memo: str, memo_blocks: list[Block] | None = None) -> list[Sentence]:
    """Sentences of the memo in order; headings and fields are one sentence each."""
    result: list[Sentence] = []
    for block in memo_blocks if memo_blocks is not None else blocks(memo):
        if block.kind in ("heading", "field"):
            result.append(Sentence(block.text, block.start, block.kind, len(words(block.text))))
            continue
        marker = _BULLET_MARKER.match(block.text) if block.kind == "bullet" else None
        for start, end in _sentence_spans(block.text, marker.end() if marker else 0):
            start, end = _stripped(block.text, start, end)
            if end > start:
                text = block.text[start:end]
                result.append(Sentence(text, block.start + start, block.kind, len(words(text))))
    return result


def _sentence_spans(text: str, begin: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE_END.finditer(text):
        if match.group()[0] == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    if begin < len(text):
        spans.append((begin, len(text)))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """A full stop after "e.g", "Dr" or a single initial does not end a sentence."""
    before = text[max(0, dot - 12) : dot].split()
    if not before:
        return False
    token = before[-1].lstrip("(\"'").lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())
