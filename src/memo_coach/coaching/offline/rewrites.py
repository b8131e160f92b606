"""The plain version of a writer's sentence, for the offline chat's "it could read" lines.

Rewrites are mechanical and honest about it: hedges and filler are cut and jargon gets its plain
word. The chat (coaching/chat_answers.py) offers one only when it differs from the sentence it
quotes, so an instruction is never dressed up as a rewrite.
"""

from __future__ import annotations

import re

from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.segments import PLAIN_WORDS

_FILLER = re.compile(r"\b(?:really|very|basically|actually|just|quite|clearly|obviously)\s+", re.IGNORECASE)


def plain(text: str) -> str:
    """The sentence without hedges, rambling starts or filler, with jargon in plain words."""
    text = lx.RAMBLE.sub("", text.strip()).lstrip(" ,")
    text = re.sub(r"^(?:i was thinking|i think|i feel|i believe|we think)\s+(?:that\s+)?", "", text, flags=re.I)
    text = lx.HEDGE.sub("", text)
    text = _FILLER.sub("", text)
    for jargon, word in PLAIN_WORDS.items():
        text = re.sub(rf"\b{re.escape(jargon)}\b", word.split(",")[0], text, flags=re.IGNORECASE)
    text = re.sub(r"\s{2,}", " ", text).replace(" ,", ",").strip(" ,")
    return text[:1].upper() + text[1:] if text else text
