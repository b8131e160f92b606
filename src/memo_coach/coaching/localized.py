"""Text in every language the coach speaks, as the rubric and prompt files give it: `name: {en: ..., es: ...}`.

A `Localized` is a str, the text in one language (English as loaded), so the pages, prompts and stored
results that use a criterion's name as text go on working unchanged; `in_language` gives the text in
another, and `localized_copy` a whole rubric or prompt file in one language. Validation requires
every language (a file missing `es` is refused with the key named), so no writer meets a gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
M = TypeVar("M")


class Localized(str):
    """The text in `language`, carrying its text in every other language with it (through pickles and dumps)."""

    MAX_LENGTH = 20_000  # per language; a field with a tighter bound uses a subclass
    reference_type = "text in each language (`en` and `es`), each at least 1 long"  # for the generated reference

    texts: dict[str, str]
    language: str

    def __new__(cls, texts: Mapping[str, str], language: str = DEFAULT_LANGUAGE) -> Localized:
        self = super().__new__(cls, texts[language])
        self.texts = dict(texts)
        self.language = language
        return self

    def in_language(self, language: str) -> Localized:
        return self if language == self.language else type(self)(self.texts, language)

    def __reduce__(self):
        return type(self), (self.texts, self.language)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        text = core_schema.str_schema(min_length=1, max_length=cls.MAX_LENGTH)
        per_language = core_schema.typed_dict_schema(
            {code: core_schema.typed_dict_field(text) for code in LANGUAGES}, extra_behavior="forbid"
        )
        return core_schema.no_info_before_validator_function(
            _texts_of,
            core_schema.no_info_after_validator_function(cls, per_language),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda value: value.texts),
        )


def _texts_of(value: Any) -> Any:
    if isinstance(value, Localized):
        return value.texts
    if isinstance(value, str):
        raise ValueError(f"give the text in each language, as a mapping with the keys {' and '.join(LANGUAGES)}")
    return value


def empty() -> Localized:
    """No text in any language: the default of an optional text."""
    return Localized(dict.fromkeys(LANGUAGES, ""))


def localized_copy(value: M, language: str) -> M:
    """`value` (a model, list, mapping or text) with every Localized inside it in `language`."""
    if isinstance(value, Localized):
        return value.in_language(language)  # type: ignore[return-value]
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={name: localized_copy(getattr(value, name), language) for name in fields})
    if isinstance(value, list):
        return [localized_copy(item, language) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {key: localized_copy(item, language) for key, item in value.items()}  # type: ignore[return-value]
    return value
