"""The PDF renders every script with DejaVu where Debian installed it, and with the wheel's font alone where not."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from memo_coach.coaching import pdf
from memo_coach.coaching.rubric import Rubric

RUBRIC = Rubric(**yaml.safe_load((Path(__file__).resolve().parents[3] / "config" / "rubric.yaml").read_text()))
TEXT = "Budget für Zürich: €48,000.\nΚαλημέρα, Αθήνα.\n東京チームの提案です。\n서울 팀도 동의합니다."


def view() -> dict:
    return {
        "text_content": TEXT,
        "revision": 2,
        "provider": "offline",
        "model": "offline-analyzer-1",
        "degraded": True,
        "created_at": "2026-11-27T10:00:00+00:00",
        "overall_score": 3.4,
        "strengths": ["Clear ask: €48,000"],
        "opportunities": ["Name the owner of the Αθήνα desk"],
        "rubric_scores": [
            {"criterion_id": c.id, "name": c.name, "weight": c.weight, "score": 3, "justification": "Fair."}
            for c in RUBRIC.criteria
        ],
        "segment_feedback": [
            {
                "quote": "東京チームの提案です。",
                "comment": "Say what the proposal is.",
                "questions": ["Which?"],
                "suggestion": "",
            }
        ],
    }


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        if os.environ.get("MEMO_COACH_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / "e.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_every_script_survives(text: str) -> None:
    for expected in ("Zürich", "€48,000", "Καλημέρα", "東京チームの提案です。", "서울", "Overall score: 3.40 out of 5"):
        assert expected in text, expected
    assert "the language model was unavailable" in text
    assert "It cannot judge whether the figures are true" in " ".join(text.split())  # offline: says its scope


@pytest.mark.skipif(pdf._dejavu() is None, reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_dejavu_with_the_wide_font_as_fallback_renders_every_script(tmp_path):
    assert_every_script_survives(pdf_text(pdf.evaluation_pdf(view(), RUBRIC, "Zürich desk"), tmp_path))


def test_without_system_fonts_the_wheel_font_alone_renders_every_script(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "DEJAVU_DIR", tmp_path / "no-fonts-here")
    assert_every_script_survives(pdf_text(pdf.evaluation_pdf(view(), RUBRIC, "Zürich desk"), tmp_path))


def test_table_cells_are_left_aligned_without_justified_gaps(tmp_path):
    data = pdf.evaluation_pdf(view(), RUBRIC, "Zürich desk")
    pdf_text(data, tmp_path)  # skips when pdftotext is missing
    path = tmp_path / "layout.pdf"
    path.write_bytes(data)
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    # "Bottom line and structure" wraps in its narrow column; justified, its words were spread apart.
    assert re.search(r"Bottom line( and)?", layout) and not re.search(r"Bottom {2,}line", layout)
