"""What changed in a memo's text between two revisions, word by word, for the writer to read.

Words are compared, not characters or lines: a writer rewords sentences, and a line diff of a
rewrapped paragraph marks all of it. Paragraph breaks count as a token, so a split paragraph shows.
Long unchanged stretches are collapsed to their first and last few words around each change.
The work is bounded: memos are (settings.max_memo_chars), and past MAX_WORDS words a side only the
start is compared, which the result says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

MAX_WORDS = 6000  # a side; a 20,000-character memo is about 3,500 words
CONTEXT_WORDS = 8  # unchanged words shown on each side of a change
# The most word pairs one comparison may cost (difflib is quadratic at worst): a bigger stretch of
# changed paragraphs is compared paragraph by paragraph, and a bigger paragraph shown removed and added.
MAX_PAIRS = 250_000
PARAGRAPH = "\n\n"
_TOKEN = re.compile(r"\n[ \t]*\n\s*|\S+")

EQUAL, INSERT, DELETE, GAP = "equal", "insert", "delete", "gap"


@dataclass(frozen=True)
class Piece:
    kind: str  # equal | insert | delete | gap (a collapsed unchanged stretch)
    text: str  # words joined by spaces, a paragraph break as a blank line; empty for a gap
    words: int  # how many words the piece holds (for a gap: how many were left out)


@dataclass(frozen=True)
class TextDiff:
    pieces: tuple[Piece, ...]
    added: int  # words
    removed: int
    truncated: bool  # a side was longer than MAX_WORDS and only its start was compared

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def tokens(text: str) -> list[str]:
    """The words of the text, and a PARAGRAPH token for each blank line between paragraphs."""
    return [PARAGRAPH if token[0] == "\n" else token for token in _TOKEN.findall(text.strip())]


def text_diff(before: str, after: str) -> TextDiff:
    """The word-level changes from `before` to `after`, unchanged stretches collapsed."""
    old, new = tokens(before), tokens(after)
    truncated = len(old) > MAX_WORDS or len(new) > MAX_WORDS
    runs = _merged(_changes(old[:MAX_WORDS], new[:MAX_WORDS]))
    pieces: list[Piece] = []
    for index, (tag, gone, came) in enumerate(runs):
        if tag == EQUAL:
            pieces.extend(_collapsed(gone, first=index == 0, last=index == len(runs) - 1))
            continue
        pieces += [_piece(DELETE, gone)] if gone else []
        pieces += [_piece(INSERT, came)] if came else []
    added = sum(p.words for p in pieces if p.kind == INSERT)
    removed = sum(p.words for p in pieces if p.kind == DELETE)
    return TextDiff(tuple(pieces), added, removed, truncated)


def _changes(old: list[str], new: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """Paragraphs first, then the words of the paragraphs that changed: each comparison stays small.
    Paragraph breaks between the paragraph-level runs are given as unchanged runs of their own."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    matcher = SequenceMatcher(
        None, [" ".join(p) for p in old_paragraphs], [" ".join(p) for p in new_paragraphs], autojunk=False
    )
    runs: list[tuple[str, list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        runs += [(EQUAL, [PARAGRAPH], [PARAGRAPH])] if runs else []
        if tag == EQUAL:
            runs.append((EQUAL, _joined(old_paragraphs[i1:i2]), _joined(new_paragraphs[j1:j2])))
        else:
            runs += _changed(old_paragraphs[i1:i2], new_paragraphs[j1:j2])
    return runs


def _changed(gone: list[list[str]], came: list[list[str]]) -> list[tuple[str, list[str], list[str]]]:
    """Changed paragraphs word by word: the stretch at once when small enough (MAX_PAIRS), else paired
    in order, and a pair too big to compare is shown removed and added whole."""
    old, new = _joined(gone), _joined(came)
    if len(old) * len(new) <= MAX_PAIRS:
        return _words(old, new)
    runs: list[tuple[str, list[str], list[str]]] = []
    for k in range(max(len(gone), len(came))):
        runs += [(EQUAL, [PARAGRAPH], [PARAGRAPH])] if runs else []
        before, after = (gone[k] if k < len(gone) else []), (came[k] if k < len(came) else [])
        runs += _words(before, after) if len(before) * len(after) <= MAX_PAIRS else [("replace", before, after)]
    return runs


def _words(old: list[str], new: list[str]) -> list[tuple[str, list[str], list[str]]]:
    if not old or not new:
        return [("replace", old, new)]
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return [(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in opcodes]


def _paragraphs(words: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for word in words:
        if word == PARAGRAPH:
            paragraphs.append([])
        else:
            paragraphs[-1].append(word)
    return [p for p in paragraphs if p]


def _joined(paragraphs: list[list[str]]) -> list[str]:
    joined: list[str] = []
    for paragraph in paragraphs:
        joined += ([PARAGRAPH] if joined else []) + paragraph
    return joined


def _merged(runs: list[tuple[str, list[str], list[str]]]) -> list[tuple[str, list[str], list[str]]]:
    """Neighbouring runs of one kind as one run: a change is shown as what went, then what came."""
    merged: list[tuple[str, list[str], list[str]]] = []
    for tag, gone, came in runs:
        tag = EQUAL if tag == EQUAL else "replace"
        if merged and merged[-1][0] == tag:
            _, before, after = merged[-1]
            merged[-1] = (tag, before + gone, after + came)
        else:
            merged.append((tag, gone, came))
    return merged


def _count(words: list[str]) -> int:
    return sum(1 for w in words if w != PARAGRAPH)


def _piece(kind: str, words: list[str]) -> Piece:
    if kind != EQUAL and not _count(words):  # only a paragraph break came or went: show where
        return Piece(kind, "¶" + (PARAGRAPH if kind == INSERT else ""), 0)
    text = " ".join(words).replace(f" {PARAGRAPH} ", PARAGRAPH).replace(f"{PARAGRAPH} ", PARAGRAPH)
    return Piece(kind, text.replace(f" {PARAGRAPH}", PARAGRAPH), _count(words))


def _collapsed(words: list[str], first: bool, last: bool) -> list[Piece]:
    """An unchanged stretch: whole when short, else its ends beside the changes and a gap between."""
    head = 0 if first else CONTEXT_WORDS
    tail = 0 if last else CONTEXT_WORDS
    if len(words) <= head + tail + CONTEXT_WORDS:
        return [_piece(EQUAL, words)]
    kept = [_piece(EQUAL, words[:head])] if head else []
    kept.append(Piece(GAP, "", _count(words[head : len(words) - tail])))
    if tail:
        kept.append(_piece(EQUAL, words[len(words) - tail :]))
    return kept
