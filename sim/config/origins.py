"""Where each default number of the scenario comes from, read from the comments of
``scenarios/default.yaml``: each number is a cited ``source``, ``calibrated`` to a
published figure, an ``assumption`` (a ``design default`` of salesim's brief included:
no published figure stands behind it) or a ``choice`` of the model. This is scenario
provenance: the report shows it beside the parameters, but it is read from the
configuration's own file and belongs with it.
"""

from __future__ import annotations

import re
from pathlib import Path

from sim.config.origins_ru import RU
from sim.config.scenario import Scenario

#: Where the default scenario with a source comment on every number lives, in a checkout.
DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "default.yaml"
#: Sections of a scenario that say how a study runs or is shown, not what the world is
#: like: left out of the list of parameters and their origins.
NOT_PARAMETERS = ("name", "description", "currency", "report", "uncertainties", "experiment")


def flat(data: dict, prefix: str = "") -> dict[str, object]:
    """A nested mapping (a scenario dumped as JSON) as ``{"dotted.path": value}``."""
    out: dict[str, object] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flat(value, path + "."))
        else:
            out[path] = value
    return out


def _parameter(path: str) -> bool:
    return path.split(".", 1)[0] not in NOT_PARAMETERS


#: A comment that cites: a year, a price list, an agency, a survey.
CITES = re.compile(r"\b(1[89]\d\d|20\d\d)\b|list price|BLS|Alexander Group|CSO Insights|et al",
                   re.I)
#: A comment that marks a value of salesim's design brief: typical of the setting, but
#: no published figure a reader could look up, so an assumption unless it cites one.
DESIGN = ("design default", "design brief")


def comment_in(comment: str, language: str) -> str:
    """A source comment of the default scenario in ``language`` (English where it has no
    translation: :mod:`sim.config.origins_ru` holds the Russian)."""
    return RU.get(comment, comment) if language == "ru" else comment


def origin(comment: str) -> str:
    """Where a default comes from, read from its comment: ``calibrated`` (chosen or
    fitted to reproduce a published figure), ``assumption``, ``source`` (it cites one)
    or ``choice`` (a unit, a definition or a rule of the model, such as first come,
    first served)."""
    c = comment.lower()
    if any(w in c for w in ("calibrat", "chosen so", "fitted", "set with")):
        return "calibrated"
    if "assumption" in c:
        return "assumption"
    if CITES.search(comment):
        return "source"
    return "assumption" if any(w in c for w in DESIGN) else "choice"


def default_origins(path: Path = DEFAULT_SCENARIO) -> dict[str, tuple[str, str]]:
    """Each number of the default scenario with its origin (:func:`origin`) and the
    comment it is read from; empty when the file is not beside the package (an
    installed copy without the repository)."""
    if not path.exists():
        return {}
    comments: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    previous = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or ":" not in line:
            continue
        indent = len(line) - len(line.lstrip())
        body, _, comment = line.partition(" #")
        key, _, value = body.strip().partition(":")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([k for _, k in stack] + [key.strip()])
        if not value.strip():
            stack.append((indent, key.strip()))
        if dotted.split(".", 1)[0] == "uncertainties":
            continue  # ranges of a sweep, not defaults
        comment = comment.strip()
        if comment.startswith("..."):  # a comment continued from the line above
            comment = f"{previous} {comment}"
        if comment:
            comments[dotted] = comment
            previous = comment
    out = {}
    for p, value in flat(Scenario().model_dump(mode="json")).items():
        if not _parameter(p) or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        parts = p.split(".")
        for i in range(len(parts), 0, -1):
            c = comments.get(".".join(parts[:i]))
            if c:
                out[p] = (origin(c), c)
                break
    return out
