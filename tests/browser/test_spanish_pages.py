"""A writer whose browser asks for Spanish walks the writer pages in Spanish: sign in, submit, feedback,
chat, history, settings; no heading, button or menu entry is left in English."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MEMO = """Asunto: Aprobar 18.000 EUR para el mostrador de soporte antes del 15 de mayo

Solicitamos la aprobación de 18.000 EUR antes del 15 de mayo para abrir un mostrador de soporte.
Las consultas presenciales subieron de 120 a 310 al mes entre enero y abril (informe de abril).
El riesgo principal es la contratación; Lucía Gómez se encargará y revisará el mostrador a los 90 días.
"""
# The English of every writer page's headings, buttons and menu: none may show once the page is Spanish.
ENGLISH = {
    "Submit a memo",
    "Evaluate memo",
    "Sign out",
    "Get help",
    "History",
    "Help",
    "My tickets",
    "Account",
    "Overall feedback",
    "Detailed feedback",
    "Ask the coach",
    "Ask",
    "Download PDF",
    "Revise and resubmit",
    "Your progress",
    "Every evaluation",
    "Memo by memo",
    "Your account",
    "Change password",
    "Save language",
    "Language",
    "Your sessions",
    "Send rating",
    "Strengths",
    "Opportunities",
    "Sign in",
}


def visible_labels(page) -> set[str]:
    """The text of the page's headings, buttons, links that look like buttons, and menu entries."""
    texts = page.locator("h1, h2, h3, button, a.button, nav a, .get-help, legend, label").all_inner_texts()
    return {" ".join(t.split()) for t in texts if t.strip()}


def assert_spanish(page, *expected: str) -> None:
    assert page.locator("html").get_attribute("lang") == "es"
    labels = visible_labels(page)
    for words in expected:
        assert words in labels, (words, sorted(labels))
    assert labels & ENGLISH == set(), sorted(labels & ENGLISH)


def test_a_spanish_writer_sees_every_writer_page_in_spanish(chromium, server, shots):
    password = server.add_writer("escritora")
    context = chromium.new_context(locale="es-ES")  # Accept-Language: es-ES
    page = context.new_page()
    base = server.url

    page.goto(f"{base}/login")
    assert_spanish(page, "Iniciar sesión", "Nombre de usuario", "Contraseña")
    page.get_by_label("Nombre de usuario").fill("escritora")
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/")
    assert_spanish(page, "Enviar un memorando", "Evaluar el memorando", "Cerrar sesión", "Historial", "Ayuda")
    shots(page, "es-01-submit")

    page.get_by_label("Texto del memorando", exact=True).fill(MEMO)
    assert page.locator("#char-count").inner_text().endswith("de 20.000 caracteres")
    page.get_by_role("button", name="Evaluar el memorando").click()
    page.wait_for_url(f"{base}/evaluations/*")
    page.get_by_role("heading", name="Evaluación global").wait_for()
    assert_spanish(page, "Evaluación global", "Evaluación detallada", "Pregunta al coach", "Preguntar")
    assert page.get_by_role("link", name="Descargar PDF").is_visible()
    shots(page, "es-02-feedback")

    page.get_by_label("Tu pregunta").fill("¿Cómo hago más clara la petición?")
    page.get_by_role("button", name="Preguntar").click()
    page.locator("#chat-latest").wait_for()
    assert page.locator("#chat-log .who").first.inner_text().strip() == "Tú"
    assert_spanish(page, "Pregunta al coach")

    page.get_by_role("link", name="Historial").click()
    assert_spanish(page, "Tu progreso", "Memorando a memorando")
    assert "primera revisión evaluada" in page.locator("figure.chart").inner_text()
    shots(page, "es-03-history")

    page.goto(f"{base}/account")
    assert_spanish(page, "Tu cuenta", "Idioma", "Cambia tu contraseña", "Guardar el idioma")
    # The writer's own setting wins over the browser: English chosen here, English pages after.
    page.get_by_label("Idioma de estas páginas, del PDF y de los correos").select_option("en")
    page.get_by_role("button", name="Guardar el idioma").click()
    page.wait_for_url(f"{base}/account")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert page.get_by_role("status").first.inner_text() == "Language saved."
    context.close()


# The English of the support pages a writer reaches and of the status page.
SUPPORT_AND_STATUS_ENGLISH = {
    "What is it about?",
    "In one line",
    "What happened, and what did you expect?",
    "Email for replies (optional)",
    "Sent with your request",
    "Send to support",
    "Conversation",
    "Add a reply",
    "Send reply",
    "Done?",
    "Close this ticket",
    "How did we do?",
    "Your satisfaction, 1 (poor) to 5 (excellent)",
    "Anything to add? (optional)",
    "Components",
    "Active incidents",
    "Upcoming maintenance",
    "Uptime, last 90 days",
    "Past incidents",
}


def assert_support_spanish(page, *expected: str) -> None:
    assert_spanish(page, *expected)
    labels = visible_labels(page)
    assert labels & SUPPORT_AND_STATUS_ENGLISH == set(), sorted(labels & SUPPORT_AND_STATUS_ENGLISH)


def test_a_spanish_writer_asks_for_help_and_reads_the_status_page_in_spanish(chromium, server, shots):
    password = server.add_writer("escritor-ayuda")
    context = chromium.new_context(locale="es-ES")
    page = context.new_page()
    base = server.url
    page.goto(f"{base}/login")
    page.get_by_label("Nombre de usuario").fill("escritor-ayuda")
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Pedir ayuda").first.click()
    page.wait_for_url(re.compile(r".*/support/new\?from=.*"))
    assert_support_spanish(page, "Pedir ayuda", "¿Sobre qué es?", "Se envía con tu consulta", "Enviar a soporte")
    assert "no se envía" in page.locator("#ticket-context").inner_text()
    page.get_by_label("¿Sobre qué es?").select_option(label="Una pregunta")
    page.get_by_label("En una línea").fill("¿Cómo se puntúa la claridad?")
    page.get_by_label("¿Qué ha pasado y qué esperabas?").fill("Saqué un 3 en claridad; ¿qué haría falta para un 4?")
    shots(page, "es-04-get-help")
    page.get_by_role("button", name="Enviar a soporte").click()
    page.wait_for_url(re.compile(r".*/support/tickets/\d+\?sent=1$"))
    assert page.get_by_role("status").first.inner_text() == "Enviada. Soporte te responderá aquí."
    assert_support_spanish(page, "Conversación", "Añade una respuesta", "Enviar la respuesta", "Cerrar esta consulta")
    assert page.locator("#ticket-status").inner_text() == "nuevo"

    page.get_by_label("Añade una respuesta").fill("Añado un ejemplo del memorando.")
    page.get_by_role("button", name="Enviar la respuesta").click()
    page.locator("#messages time").first.wait_for()
    assert page.locator("#messages time").first.inner_text() in {"ahora mismo", "hace 1 min"}
    page.get_by_role("button", name="Cerrar esta consulta").click()
    page.get_by_role("heading", name="¿Qué tal lo hemos hecho?").wait_for()
    assert_support_spanish(page, "¿Qué tal lo hemos hecho?", "Enviar la valoración")
    shots(page, "es-05-ticket")

    page.get_by_role("navigation").get_by_role("link", name="Mis consultas").click()
    assert_support_spanish(page, "Mis consultas")
    assert "cerrada" in page.locator("#my-tickets").inner_text()

    page.goto(f"{base}/status")
    assert_support_spanish(page, "Componentes", "Incidencias activas", "Mantenimiento previsto", "Incidencias pasadas")
    assert page.locator("#overall-status").text_content() == "Operativo"  # CSS shows it in capitals
    assert "Comprobado:" in page.locator("main").inner_text()
    shots(page, "es-06-status")
    context.close()
