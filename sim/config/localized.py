"""Text a scenario gives in more than one language: a plain string (the same in every
language) or a mapping from language code to text, such as
``description: {en: Mid-size distributor, ru: Средний дистрибьютор}``. The report picks
the text of its language (:func:`localized`), falling back to English, then to the
first text given.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

#: The languages a scenario's texts and the report are written in.
LANGUAGES = ("en", "ru")


def _given(value: Any) -> Any:
    """A text or a mapping of known languages to non-empty texts; else a ValueError that
    names the value and what is allowed (pydantic adds the field's path)."""
    allowed = ", ".join(LANGUAGES)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or not value:
        raise ValueError(f"got {value!r}; allowed: a text, or a text per language "
                         f"({allowed}), such as {{en: ..., ru: ...}}")
    for key, text in value.items():
        if key not in LANGUAGES:
            raise ValueError(f"unknown language {key!r}; allowed: {allowed}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{key}: got {text!r}; allowed: a text that is not empty")
    return value


#: A text, or a text per language (keys: :data:`LANGUAGES`).
Localized = Annotated[str | dict[str, str], BeforeValidator(_given)]


def localized(text: str | dict[str, str], language: str) -> str:
    """The text in ``language``; English, then the first one given, where it has none."""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get("en") or next(iter(text.values()), "")
