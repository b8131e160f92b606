"""The support pages a writer reaches and the public status page, in Spanish when the writer's
setting or browser asks for it: the pages' own words and times are Spanish, what people wrote (a
ticket, an operator's update) stays as written, and the staff pages stay English."""

from __future__ import annotations

import re

import pytest

from tests.support.helpers import create_user, make_settings
from tests.support.pages import form_token, sign_in_page

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
OPERATOR_NOTE = "We restarted a server; pages load again."


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


def heading(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)).strip()


def open_ticket(client, token: str) -> int:
    data = {"csrf_token": token, "category": "question", "summary": "¿Y el PDF?", "description": "No lo encuentro."}
    sent = client.post("/support/tickets", data=data, headers=SPANISH, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    return int(re.search(r"/support/tickets/(\d+)", sent.headers["location"]).group(1))


def test_a_spanish_writer_asks_for_help_and_follows_the_ticket_in_spanish(client, admin_headers):
    token = sign_in_page(client, admin_headers, "ines")
    form = client.get("/support/new", headers=SPANISH).text
    assert heading(form) == "Pedir ayuda" and "Enviar a soporte" in form and "¿Sobre qué es?" in form
    assert ">Una pregunta</option>" in form and "Send to support" not in form
    ticket_id = open_ticket(client, token)
    support = create_user(client, admin_headers, "sam", "support")
    client.post(f"/api/v1/support/tickets/{ticket_id}/replies", headers=support, json={"body": "Try the button."})

    page = client.get(f"/support/tickets/{ticket_id}?sent=1", headers=SPANISH).text
    assert "Enviada. Soporte te responderá aquí." in page and "Conversación" in page and "Soporte (sam)" in page
    assert "Try the button." in page and "¿Y el PDF?" in page  # what people wrote stays as written
    assert re.search(
        r'<time datetime="[^"]+" title="\d+ \w+ \d\d:\d\d UTC \([^)]+\)">(ahora mismo|hace \d+ min)<', page
    )
    assert re.search(r'<dd id="ticket-status">a la espera de tu respuesta</dd>', page)
    assert "Send reply" not in page and "Conversation" not in page and " UTC</time>" not in page

    mine = client.get("/support/tickets", headers=SPANISH).text
    assert heading(mine) == "Mis consultas" and "Último cambio" in mine and "<td>Una pregunta</td>" in mine


def test_a_refused_ticket_is_explained_in_spanish(client, admin_headers):
    token = sign_in_page(client, admin_headers, "ines")
    data = {"csrf_token": token, "category": "problem", "summary": "", "description": "palabras guardadas"}
    page = client.post("/support/tickets", data=data, headers=SPANISH)
    assert page.status_code == 422 and "el resumen está vacío" in page.text and "palabras guardadas" in page.text


def test_the_status_page_is_spanish_but_the_operators_words_are_not_translated(client, admin_headers):
    body = {"title": "Slow PDFs", "severity": "P2", "component": "website", "visibility": "public"}
    created = client.post("/api/v1/incidents", headers=admin_headers, json=body | {"public_title": "PDFs are slow"})
    iid = created.json()["data"]["id"]
    client.post(
        f"/api/v1/incidents/{iid}/notes", headers=admin_headers, json={"message": OPERATOR_NOTE, "public": True}
    )

    page = client.get("/status", headers=SPANISH).text
    assert '<html lang="es">' in page and heading(page).startswith("Estado del servicio:")
    for words in ("Componentes", "Incidencias activas", "Mantenimiento previsto", "Incidencias pasadas", "sitio web"):
        assert words in page, words
    assert (
        "(En investigación: caída parcial)" in page and "Sabemos que hay un problema y lo estamos investigando." in page
    )
    assert "PDFs are slow" in page and OPERATOR_NOTE in page
    assert not [w for w in ("Components", "Active incidents", "Past incidents", "Partial outage") if w in page]
    assert "<h1>Service status:" in client.get("/status").text  # English without the header


def test_the_writers_setting_chooses_the_status_page_language(client, admin_headers):
    token = sign_in_page(client, admin_headers, "ines")
    client.post("/account/language", data={"language": "es", "csrf_token": token})
    assert heading(client.get("/status", headers={"Accept-Language": "en"}).text).startswith("Estado del servicio")


def test_staff_pages_stay_english_whatever_the_browser_asks(client, admin_headers):
    create_user(client, admin_headers, "sue", "support")

    login = form_token(client.get("/login").text)
    client.post("/login", data={"username": "sue", "password": "pw-sue-long-enough", "csrf_token": login})
    queue = client.get("/support/queue", headers=SPANISH)
    assert queue.headers["content-language"] == "en" and '<html lang="en">' in queue.text
    assert ">My tickets<" in queue.text  # the menu too


def test_the_export_carries_the_language_setting(client, admin_headers):
    writer = create_user(client, admin_headers, "ines-export")
    assert client.get("/api/v1/account/export", headers=writer).json()["data"]["account"]["language"] is None
    client.patch("/api/v1/account", headers=writer, json={"language": "es"})
    assert client.get("/api/v1/account/export", headers=writer).json()["data"]["account"]["language"] == "es"


def test_limits_in_refusals_are_written_as_the_page_language_writes_numbers(client, admin_headers):

    sign_in_page(client, admin_headers, "ines")
    token = form_token(client.get("/").text)
    too_long = {"text_content": "x" * 20_001, "csrf_token": token}
    spanish = client.post("/submit", data=too_long, headers=SPANISH | {"Accept": "application/json"})
    assert spanish.json()["error"] == "el memorando es demasiado largo; el límite es de 20.000 caracteres"
    english = client.post("/submit", data=too_long, headers={"Accept": "application/json"})
    assert english.json()["error"] == "the memo has 20,001 characters; the limit is 20,000"
