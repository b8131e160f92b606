"""Cut a memo into lines, blocks and sentences that remember their exact place in the memo.

Every piece keeps its offsets so feedback can quote the writer's own words verbatim; nothing
here rewrites or normalises the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memo_coach.coaching.offline.languages import lexicon as lx

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
_BOLD_HEADING = re.compile(r"^(\*\*|__)[^*_]{1,80}(\*\*|__):?$")
_BULLET = re.compile(r"^(?:[-*+•‣▪–]|\d{1,2}[.)]|[a-zA-Z][.)])\s+\S")
_BULLET_MARKER = re.compile(r"(?:[-*+•‣▪–]|\d{1,2}[.)]|[a-zA-Z][.)])\s+")
_HEADER_FIELD = re.compile(r"^(to|from|cc|bcc|date|subject|re|memo|attn|para|de|fecha|asunto)\s*:", re.IGNORECASE)
# Letter furniture: a greeting opens an email, a sign-off ends it; neither is part of the argument.
# English and Spanish ("Hola", "Buenos días", "Un saludo"), the languages the coach reads.
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening)"
    r"|hola|estimad[oa]s?|buen(?:os|as) (?:días|tardes|noches)|querid[oa]s?)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|many thanks|best|regards|best regards|kind regards|warm regards|cheers|sincerely|"
    r"yours|all the best|gracias|muchas gracias|un saludo|saludos|un abrazo|atentamente|cordialmente)\b",
    re.IGNORECASE,
)
SALUTATION_WORDS = 7
# A letter's first line that is only a name or a title and a name: "Priya,", "Dr. Okafor,", "Javier:".
_NAME_GREETING = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}\s*[,:]$")
# Ends of sentences: Latin punctuation followed by space or end, or CJK full stops anywhere.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[」』”）]*")
_WORD = re.compile(
    r"\d+(?:[.,]\d+)*|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+(?:['’-][^\W\u3040-\u30ff\u3400-\u9fff]+)*|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
# The same words in ASCII text, where testing characters in a table beats the Unicode database.
_ASCII_WORD = re.compile(_WORD.pattern, re.ASCII)
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
        "sr",
        "sra",
        "srta",
        "ud",
        "uds",
        "ej",
        "núm",
        "pág",
        "aprox",
    ]
)


@dataclass(frozen=True)
class Block:
    """A unit of layout: a heading, a header field (To:, Subject:), a bullet item or a paragraph."""

    kind: str  # heading | field | salutation | bullet | paragraph
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
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


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
    if (_GREETING.match(stripped) or _SIGN_OFF.match(stripped)) and len(words(stripped)) <= SALUTATION_WORDS:
        return "salutation"
    if _BULLET.match(stripped):
        return "bullet"
    if _looks_like_heading(stripped):
        return "heading"
    return "prose"


def _looks_like_heading(line: str) -> bool:
    """Short label lines ("Background:", "NEXT STEPS") organise a memo like markdown headings do."""
    labelled = line.endswith(":") or (line.isupper() and not line.endswith((".", "!", "?")))
    return labelled and 0 < len(words(line)) <= 8  # counting words costs most, so it comes last


def blocks(memo: str) -> list[Block]:
    """Group lines into blocks: consecutive prose lines form a paragraph, bullets continue on indented lines.

    Everything after a sign-off ("Thanks,", "Best regards") is the signature, not the memo.
    """
    found: list[Block] = []
    open_kind, open_start, open_end = "", 0, 0
    spans = _lines(memo)
    kinds = _line_kinds(memo, spans)
    for (start, end), kind in zip(spans, kinds, strict=True):
        if kind == "blank":
            open_kind = _close(memo, found, open_kind, open_start, open_end)
            continue
        continues = open_kind in ("paragraph", "bullet") and kind == "prose"
        if continues and (open_kind == "paragraph" or memo[start:end][:1].isspace()):
            open_end = end
            continue
        _close(memo, found, open_kind, open_start, open_end)
        open_kind = "paragraph" if kind == "prose" else kind
        open_start, open_end = start, end
    _close(memo, found, open_kind, open_start, open_end)
    return found


def _line_kinds(memo: str, spans: list[tuple[int, int]]) -> list[str]:
    """Each line's kind, with the context a plain-text memo needs.

    Memos pasted from email or a word processor carry their headings as short lines of their
    own ("Recommendation", "Risks and how we handle them"): a short, capitalised line without
    end punctuation that starts a block and has text after it is a heading. Lines after a
    sign-off are the signature.
    """
    lines = [memo[start:end] for start, end in spans]
    kinds = [_line_kind(line) for line in lines]
    signed_off = False
    for i, line in enumerate(lines):
        if signed_off and kinds[i] != "blank":
            kinds[i] = "salutation"
        elif kinds[i] == "salutation" and _SIGN_OFF.match(line.strip()):
            signed_off = True
        elif kinds[i] == "prose" and _is_plain_heading(lines, kinds, i):
            kinds[i] = "heading"
    _mark_greeting(lines, kinds)
    _mark_signature(lines, kinds)
    return kinds


def _mark_greeting(lines: list[str], kinds: list[str]) -> None:
    """The first line after the header fields, when it is a name alone ("Priya,"), greets the reader. With a
    colon ("Javier:") it could be a heading, so only in a letter (one with header fields) is it a greeting."""
    for i, line in enumerate(lines):  # a name and a comma on a line of its own, wherever it is: "Priya,"
        opens_block = i == 0 or kinds[i - 1] in ("blank", "heading", "field", "salutation")
        if opens_block and kinds[i] == "prose" and line.strip().endswith(",") and _NAME_GREETING.match(line.strip()):
            kinds[i] = "salutation"
    first = next((i for i, kind in enumerate(kinds) if kind not in ("blank", "field", "salutation")), None)
    if first is None:
        return
    line = lines[first].strip()
    # "Morning all," too: a heading never ends with a comma, and a sentence seldom fills a line with four words.
    by_name = _NAME_GREETING.match(line) and "field" in kinds[:first] and not lx.SUMMARY_HEADING.search(line)
    if (line.endswith(",") and len(line.split()) <= 4) or by_name:
        kinds[first] = "salutation"


def _mark_signature(lines: list[str], kinds: list[str]) -> None:
    """A letter's last lines of a few capitalised words ("Chris", "Dana Lee,", "Head of Sales") are a signature."""
    is_letter = any(kind in ("field", "salutation") for kind in kinds)
    last = next((i for i in range(len(kinds) - 1, -1, -1) if kinds[i] != "blank"), None)
    while is_letter and last is not None and last >= 0 and kinds[last] == "prose" and _signs(lines[last].strip()):
        kinds[last] = "salutation"
        last -= 1


def _signs(line: str) -> bool:
    return len(line.split()) <= 4 and line[:1].isupper() and not line.endswith((".", "!", "?", ":", ";"))


def _is_plain_heading(lines: list[str], kinds: list[str], i: int) -> bool:
    line = lines[i].strip()
    starts_block = i == 0 or kinds[i - 1] in ("blank", "heading", "field", "salutation")
    if not starts_block or line.endswith((".", "!", "?", ",", ";", "…")) or len(words(line)) > 8:
        return False
    if not line[0].isupper() or line[0].isdigit():
        return False
    later = next((k for k in kinds[i + 1 :] if k not in ("blank", "salutation")), None)
    return later in ("prose", "bullet")


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
    """Sentences of the memo in order; headings, fields and salutations are one sentence each."""
    result: list[Sentence] = []
    for block in memo_blocks if memo_blocks is not None else blocks(memo):
        if block.kind in ("heading", "field", "salutation"):
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
