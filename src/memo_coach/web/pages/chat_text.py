"""A chat message as HTML: quotes as blockquotes, lists as lists, everything else as paragraphs.

The offline coach marks the writer's quoted words with "> " and lists with "- ", and language models
answer in the same light Markdown; shown raw, the page read "> Our costs…". Every piece of text is
escaped before any tag is added, so a message can never inject markup; only these few shapes (and
**bold**, outside quotes) become HTML.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def chat_html(text: str) -> Markup:
    """The message's blocks (separated by blank lines) as HTML, each line escaped."""
    html = Markup("")
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n").strip()):
        for kind, lines in _groups(block.split("\n")):
            html += _render(kind, lines)
    return html


def _groups(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one kind; an unmarked line after a quote or an item continues it."""
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "quote" if line.lstrip().startswith(">") else "item" if _ITEM.match(line) else "text"
        previous = groups[-1][0] if groups else None
        if kind == "text" and previous == "item":
            groups[-1][1][-1] += "\n" + line
        elif kind == previous or (kind == "text" and previous == "quote"):
            groups[-1][1].append(line)
        else:
            groups.append((kind, [line]))
    return groups


def _render(kind: str, lines: list[str]) -> Markup:
    if kind == "quote":
        quoted = "\n".join(re.sub(r"^\s*>\s?", "", line) for line in lines)
        return Markup("<blockquote>{}</blockquote>").format(quoted)
    if kind == "item":
        items = Markup("").join(Markup("<li>{}</li>").format(_inline(_ITEM.sub("", line))) for line in lines)
        return Markup("<ul>{}</ul>").format(items)
    return Markup("<p>{}</p>").format(_inline("\n".join(lines)))


def _inline(text: str) -> Markup:
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))
