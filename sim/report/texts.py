"""The text catalogue of the owner's report: every text in every language under one
key (:data:`TEXTS`, assembled from :mod:`sim.report.texts_en` and
:mod:`sim.report.texts_ru`), and how a text is read and filled. Sentences, numbers and
charts ask for a text by its key, so a missing translation is a test failure, not a
blank in a report.
"""

from __future__ import annotations

import string

from sim.report.texts_en import EN, PLURALS_EN, STRUCTURES_EN
from sim.report.texts_ru import PLURALS_RU, RU, STRUCTURES_RU

LANGUAGES = ("en", "ru")

TEXTS: dict[str, dict[str, str]] = {"en": EN, "ru": RU}
#: Words after a count, by CLDR plural form (``one``, ``few``, ``many``, ``other``).
PLURALS: dict[str, dict[str, dict[str, str]]] = {"en": PLURALS_EN, "ru": PLURALS_RU}
#: The built-in structures' plain names and one-line descriptions, by code.
STRUCTURES: dict[str, dict[str, tuple[str, str]]] = {"en": STRUCTURES_EN,
                                                     "ru": STRUCTURES_RU}


def fields(template: str) -> set[str]:
    """The placeholders of a text template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(language: str, key: str, **values: object) -> str:
    """The text under ``key`` in ``language``, with its placeholders filled."""
    return TEXTS[language][key].format(**values)
