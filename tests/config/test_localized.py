"""A scenario's texts in more than one language: the description and the sources of the
uncertain parameters may be a plain text or a text per language, validated, and the
default scenario gives both in English and Russian."""

from __future__ import annotations

import re

import pytest

from sim import ScenarioError, load_scenario, parse_scenario
from sim.config.localized import LANGUAGES, localized

from tests.helpers import DEFAULT


def test_a_text_or_a_text_per_language_is_accepted_and_read_in_each_language():
    plain = parse_scenario({"description": "Distributor"})
    both = parse_scenario({"description": {"en": "Distributor", "ru": "Дистрибьютор"}})
    only_ru = parse_scenario({"description": {"ru": "Дистрибьютор"}})
    assert [localized(plain.description, x) for x in LANGUAGES] == ["Distributor"] * 2
    assert [localized(both.description, x) for x in LANGUAGES] == ["Distributor",
                                                                    "Дистрибьютор"]
    # Where a language is missing: English, else the one text given.
    assert localized(only_ru.description, "en") == "Дистрибьютор"
    assert localized({"en": "A", "ru": "Б"}, "de") == "A"


@pytest.mark.parametrize(("value", "fragments"), [
    ({"fr": "Grossiste"}, ["description", "unknown language 'fr'", "allowed: en, ru"]),
    ({}, ["description", "got {}", "a text per language (en, ru)"]),
    ({"en": "  "}, ["description", "en: got '  '", "not empty"]),
    (7, ["description", "got 7", "allowed: a text"]),
])
def test_a_bad_text_names_the_field_the_value_and_what_is_allowed(value, fragments):
    with pytest.raises(ScenarioError) as err:
        parse_scenario({"description": value})
    for fragment in fragments:
        assert fragment in str(err.value)


def test_the_default_scenario_gives_its_description_and_sources_in_both_languages():
    sc = load_scenario(DEFAULT)
    assert set(sc.description) == set(LANGUAGES)
    for path, u in sc.uncertainties.items():
        assert isinstance(u.source, dict) and set(u.source) == set(LANGUAGES), path
        assert any("а" <= ch <= "я" for ch in u.source["ru"]), path  # Cyrillic
        assert u.source["en"] != u.source["ru"], path


def test_every_source_comment_of_the_default_scenario_has_its_russian():
    from sim.config.origins import comment_in, default_origins

    comments = {c for _, c in default_origins().values()}
    missing = sorted(c for c in comments if comment_in(c, "ru") == c)
    assert missing == []
    assert all(re.search("[а-я]", comment_in(c, "ru")) for c in comments)
    assert comment_in("design default: territory size", "en") == \
        "design default: territory size"
