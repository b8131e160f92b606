"""The Spanish catalogue covers every writer-facing word, and the extracted template is current.

A new English string without its Spanish fails here, with `make messages` as the way to refresh
both files before translating."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from memo_coach.i18n import LOCALES_DIR, catalogue_path, translations

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{n\}")
TAG = re.compile(r"</?\w+")


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def _spanish():
    with catalogue_path("es").open("rb") as po:
        return read_po(po, locale="es")


def test_every_message_has_a_spanish_translation_with_the_same_placeholders_and_tags():
    untranslated, mismatched = [], []
    for message in _spanish():
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(sources[0])
            continue
        wanted = (set(PLACEHOLDER.findall(sources[-1])), sorted(TAG.findall(sources[-1])))
        for string in strings:
            found = (set(PLACEHOLDER.findall(string)), sorted(TAG.findall(string)))
            if found != wanted and not (len(strings) > 1 and string is strings[0]):
                mismatched.append(sources[0])
    assert untranslated == [], "translate these in web/locales/es/LC_MESSAGES/messages.po"
    assert mismatched == [], "a translation lost or added a placeholder or an HTML tag"


def test_the_template_and_the_spanish_catalogue_hold_exactly_what_the_sources_say():
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    extracted = {
        (found[2] if isinstance(found[2], str) else tuple(found[2]))
        for found in extract_from_dir(str(ROOT), method_map, options_map)
    }
    extracted = {m[0] if isinstance(m, tuple) and len(m) == 1 else m for m in extracted}
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = _ids(read_po(pot))
    assert sorted(map(str, extracted ^ template)) == [], "run `make messages`"
    assert _ids(_spanish()) == template, "run `make messages`, then translate"


def test_the_spanish_catalogue_is_compiled_in_memory_and_plurals_follow_spanish_rules():
    es = translations("es")
    assert es.gettext("Submit a memo") == "Enviar un memorando"
    assert es.ngettext("%(num)s memo", "%(num)s memos", 1) == "%(num)s memorando"
    assert es.ngettext("%(num)s memo", "%(num)s memos", 3) == "%(num)s memorandos"
    assert translations("en").gettext("Submit a memo") == "Submit a memo"
    assert not list(LOCALES_DIR.rglob("*.mo")), "compiled catalogues are not kept: i18n.py compiles the .po"
