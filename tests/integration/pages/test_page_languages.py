"""Writer pages, the PDF and the account's language: English and Spanish, chosen by the writer's
setting, then Accept-Language, then English; a header nobody could parse changes nothing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.support.helpers import make_settings
from tests.support.pages import form_token, sign_in_page, submit

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
MEMO = """Subject: Approve €48,000 for a walk-in support desk by 15 June

Recommendation: approve €48,000 so the support team can open a walk-in desk by 1 July.
Walk-in questions rose from 120 to 310 a month between January and April (ticket data).
The main risk is staffing; Léa Müller will own hiring and review the desk after 90 days.
"""


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def token(client, admin_headers):
    return sign_in_page(client, admin_headers, "writer-es")


def heading(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()


def test_accept_language_spanish_gives_spanish_pages(client, token):
    page = client.get("/", headers=SPANISH)
    assert page.headers["content-language"] == "es" and '<html lang="es">' in page.text
    assert heading(page.text) == "Enviar un memorando" and "Evaluar el memorando" in page.text
    assert "Hasta 20.000 caracteres." in page.text  # the limit as Spanish writes numbers
    for path, title in [("/history", "Tu progreso"), ("/help", "Cómo usar el coach"), ("/account", "Tu cuenta")]:
        assert heading(client.get(path, headers=SPANISH).text) == title


def test_english_stays_the_default(client, token):
    page = client.get("/", headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert '<html lang="en">' in page.text and heading(page.text) == "Submit a memo"


@pytest.mark.parametrize("header", ["es;q=abc", ";;;,,,", "x" * 2000, "es-ES-" + "y" * 40, "\u00e9s".encode()])
def test_a_bad_accept_language_is_ignored(client, token, header):
    page = client.get("/", headers={"Accept-Language": header})
    assert page.status_code == 200 and heading(page.text) == "Submit a memo"


def test_the_writers_setting_overrides_the_browser_both_ways(client, token):
    changed = client.post("/account/language", data={"language": "en", "csrf_token": token}, headers=SPANISH)
    assert changed.status_code == 200 and "Language saved." in changed.text  # the flash in the new language
    assert heading(client.get("/", headers=SPANISH).text) == "Submit a memo"
    client.post("/account/language", data={"language": "es", "csrf_token": token})
    page = client.get("/history", headers={"Accept-Language": "en"}).text
    assert heading(page) == "Tu progreso" and '<option value="es" lang="es" selected>' in client.get("/account").text
    client.post("/account/language", data={"language": "", "csrf_token": token})  # back to the browser's
    assert heading(client.get("/", headers={"Accept-Language": "en"}).text) == "Submit a memo"


def test_the_api_reads_and_changes_the_language(client, admin_headers):
    from tests.support.helpers import create_user

    headers = create_user(client, admin_headers, "writer-api")
    assert client.get("/api/v1/account", headers=headers).json()["data"]["language"] is None
    changed = client.patch("/api/v1/account", headers=headers, json={"language": "es"})
    assert changed.status_code == 200 and changed.json()["data"]["language"] == "es"
    refused = client.patch("/api/v1/account", headers=headers, json={"language": "fr"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "language"
    assert client.patch("/api/v1/account", headers=headers, json={"language": None}).json()["data"]["language"] is None


def test_refusals_and_the_sign_in_error_are_in_spanish(client, token):
    page = client.post("/submit", data={"text_content": "  ", "csrf_token": token}, headers=SPANISH)
    assert page.status_code == 422 and "el memorando está vacío" in page.text
    long = client.post("/submit", data={"text_content": "x" * 20_001, "csrf_token": token}, headers=SPANISH)
    assert "el memorando es demasiado largo; el límite es de 20.000 caracteres" in long.text
    client.cookies.clear()
    login_token = form_token(client.get("/login", headers=SPANISH).text)
    wrong = client.post(
        "/login", data={"username": "writer-es", "password": "nope", "csrf_token": login_token}, headers=SPANISH
    )
    assert "nombre de usuario o contraseña incorrectos" in wrong.text and heading(wrong.text) == "Iniciar sesión"


def test_the_evaluation_page_and_its_pdf_are_in_spanish(client, token, tmp_path):
    ev_id = submit(client, token, MEMO)
    client.post("/account/language", data={"language": "es", "csrf_token": token})
    page = client.get(f"/evaluations/{ev_id}").text
    for words in ("Evaluación global", "Evaluación detallada", "Descargar PDF", "Pregunta al coach", "Puntos fuertes"):
        assert words in page
    pdf = client.get(f"/evaluations/{ev_id}/pdf")
    assert pdf.status_code == 200
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / "es.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading_text in ("Puntuación global:", "Puntuaciones de la rúbrica", "Criterio", "El memorando"):
        assert heading_text in text
    assert "Rubric scores" not in text and "Overall score" not in text
