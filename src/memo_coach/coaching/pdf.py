"""One evaluation as a PDF: memo text, overall evaluation, rubric table and segment feedback.

Fonts: DejaVu Sans where Debian's fonts-dejavu-core is installed (clear, with a bold face), and
WenQuanYi Micro Hei from the paperang-p2-fonts-cjk wheel for every glyph DejaVu lacks (CJK above
all), so a machine with only Python still renders every script. Parsing the 5 MB CJK font takes
about a second, so it is loaded only when the text needs it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from babel.numbers import format_decimal
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from memo_coach.coaching.rubric import Rubric
from memo_coach.i18n import ENGLISH, Gettext, gettext_for

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
BODY, FALLBACK = "body", "fallback"
GREY = (90, 100, 117)


def _dejavu() -> tuple[Path, Path] | None:
    regular, bold = DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.exists() and bold.exists() else None


def _wide_font() -> Path:
    return Path(str(resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"))


@lru_cache(maxsize=1)
def _dejavu_codepoints() -> frozenset[int]:
    fonts = _dejavu()
    return frozenset(TTFont(fonts[0], lazy=True).getBestCmap()) if fonts else frozenset()


def _setup_fonts(pdf: FPDF, text: str) -> None:
    """DejaVu as the body font, the wide font as a fallback only when some character needs it."""
    fonts = _dejavu()
    if fonts is None:
        pdf.add_font(BODY, "", _wide_font())
        pdf.add_font(BODY, "B", _wide_font())
        return
    pdf.add_font(BODY, "", fonts[0])
    pdf.add_font(BODY, "B", fonts[1])
    known = _dejavu_codepoints()
    if any(ord(ch) not in known for ch in set(text) if not ch.isspace()):
        pdf.add_font(FALLBACK, "", _wide_font())
        pdf.set_fallback_fonts([FALLBACK], exact_match=False)


def _all_text(view: dict) -> str:
    parts = [view["text_content"], *view["strengths"], *view["opportunities"]]
    parts += [s["justification"] + s.get("name", "") for s in view["rubric_scores"]]
    for seg in view["segment_feedback"]:
        parts += [seg["quote"], seg["comment"], seg.get("suggestion", ""), *seg.get("questions", [])]
    return "".join(parts)


class _Report(FPDF):
    def __init__(self, language: str) -> None:
        super().__init__(format="A4")
        self.language, self.gettext = language, gettext_for(language)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(BODY, "", 8)
        self.set_text_color(*GREY)
        page = self.gettext("page %(number)s") % {"number": self.page_no()}
        self.cell(0, 6, f"Memo AI Coach · {page}/{{nb}}", align="C")


def evaluation_pdf(view: dict, rubric: Rubric, title: str, *, language: str = ENGLISH) -> bytes:
    """The PDF of one evaluation (`view` is evaluation_view's shape), scored against `rubric`, with its
    headings and labels in the writer's `language` (the feedback itself is in the words it was given)."""
    pdf = _Report(language)
    _ = pdf.gettext
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(_("Evaluation of %(title)s") % {"title": title})
    pdf.set_lang(language)
    _setup_fonts(pdf, _all_text(view) + title)
    pdf.add_page()
    _heading(pdf, title, 16)
    _muted(pdf, _meta_line(view, _))
    _overall(pdf, view, rubric, _)
    _rubric_table(pdf, view, rubric, _)
    _segments(pdf, view["segment_feedback"], _)
    _heading(pdf, _("The memo"), 13)
    pdf.set_font(BODY, "", 10)
    pdf.multi_cell(0, 5, view["text_content"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _meta_line(view: dict, _: Gettext) -> str:
    source = _("offline analyzer") if view["provider"] == "offline" else f"{view['provider']} {view['model']}"
    line = _("Revision %(number)s · evaluated %(when)s UTC · by %(source)s") % {
        "number": view["revision"],
        "when": view["created_at"][:16].replace("T", " "),
        "source": source,
    }
    if view["degraded"]:
        line += " · " + _("the language model was unavailable, so the offline analyzer answered")
    return line


def _heading(pdf: FPDF, text: str, size: int) -> None:
    pdf.ln(2)
    pdf.set_font(BODY, "B", size)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _muted(pdf: FPDF, text: str) -> None:
    pdf.set_font(BODY, "", 9)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _bullets(pdf: FPDF, label: str, items: list[str]) -> None:
    pdf.set_font(BODY, "B", 10)
    pdf.cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(BODY, "", 10)
    for item in items:
        pdf.multi_cell(0, 5, f"• {item}", new_x="LMARGIN", new_y="NEXT")


def _overall(pdf: _Report, view: dict, rubric: Rubric, _: Gettext) -> None:
    score = format_decimal(view["overall_score"], "0.00", locale=pdf.language)
    _heading(pdf, _("Overall score: %(score)s out of %(max)s") % {"score": score, "max": rubric.scale.max}, 13)
    if view["provider"] == "offline":
        scope = _(
            "Scored by the offline analyzer. It checks how the memo is built: the point first, headings, figures "
            "and their sources, the ask's amount and date, risks, owners. It cannot judge whether the figures are "
            "true or the reasoning holds."
        )
        _muted(pdf, scope)
    _bullets(pdf, _("Strengths"), view["strengths"])
    _bullets(pdf, _("Opportunities"), view["opportunities"])


def _rubric_table(pdf: FPDF, view: dict, rubric: Rubric, _: Gettext) -> None:
    _heading(pdf, _("Rubric scores"), 13)
    pdf.set_font(BODY, "", 9)
    bold = FontFace(emphasis="BOLD")
    # Left-aligned: fpdf2 justifies table cells by default, which leaves wide gaps in narrow columns.
    align = ("LEFT", "CENTER", "CENTER", "LEFT", "LEFT")
    with pdf.table(col_widths=(22, 8, 7, 33, 30), headings_style=bold, line_height=4.5, text_align=align) as table:
        table.row([_("Criterion"), _("Weight"), _("Score"), _("Why"), _("Rubric guidance for this score")])
        for s in view["rubric_scores"]:
            criterion = rubric.criterion(s["criterion_id"])
            guidance = criterion.guidance.get(s["score"], "") if criterion else ""
            weight = f"{s.get('weight', criterion.weight if criterion else 0):g}"
            table.row([s.get("name", s["criterion_id"]), weight, str(s["score"]), s["justification"], guidance])


def _segments(pdf: FPDF, segments: list[dict], _: Gettext) -> None:
    if not segments:
        return
    _heading(pdf, _("Feedback on passages"), 13)
    for number, seg in enumerate(segments, 1):
        pdf.set_font(BODY, "B", 10)
        pdf.multi_cell(0, 5, f"{number}. “{seg['quote']}”", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(BODY, "", 10)
        pdf.multi_cell(0, 5, seg["comment"], new_x="LMARGIN", new_y="NEXT")
        for q in seg.get("questions", []):
            pdf.multi_cell(0, 5, f"? {q}", new_x="LMARGIN", new_y="NEXT")
        if seg.get("suggestion"):
            pdf.multi_cell(0, 5, _("Suggestion: %(text)s") % {"text": seg["suggestion"]}, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
