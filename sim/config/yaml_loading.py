"""Reading YAML for salesim: PyYAML's safe loader, refusing a key given twice in one
mapping. PyYAML keeps the last of two equal keys without a word, so a parameter listed
twice in a scenario or in its ``uncertainties:`` would run with the second value while
its author reads the first.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode


class DuplicateKeyError(ConstructorError):
    """A mapping gives the same key twice; ``problem`` names it and both lines."""


class UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, with every mapping's keys checked to be distinct."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class says so
                break
            if first is not None:
                raise DuplicateKeyError(
                    "while reading a mapping", node.start_mark,
                    f"key {key!r} appears twice (first at line {first + 1}, again at line "
                    f"{key_node.start_mark.line + 1}); a key may appear once in a mapping: "
                    "keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """The YAML document in ``text``; :class:`DuplicateKeyError` for a repeated key,
    ``yaml.YAMLError`` for other problems."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
