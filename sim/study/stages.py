"""Resumable stages of ``salesim study``: each stage builds its own subfolder in a
temporary folder, writes a marker naming the inputs it was built from, and renames the
folder into place; a rerun with the same inputs skips a stage whose marker matches, so
an interruption at any stage loses only that stage and leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

MARKER = "stage.json"


def fingerprint(parts: Iterable[object], files: Iterable[Path] = ()) -> str:
    """A hash of the values and the files' bytes a stage depends on."""
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, default=str).encode())
    for f in sorted(Path(x) for x in files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def finished(root: Path, name: str, key: str) -> bool:
    """Whether ``root/name`` holds a finished stage built from ``key``."""
    marker = root / name / MARKER
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False


def run_stage(root: Path, name: str, key: str, build: Callable[[Path], dict | None]
              ) -> tuple[Path, bool]:
    """Build stage ``name`` into ``root/name`` unless it is finished with ``key``.

    ``build`` writes into the temporary folder it is given and may return facts to keep
    in the marker. Returns the folder and whether it was built now (False: skipped)."""
    folder = root / name
    if finished(root, name, key):
        return folder, False
    tmp = root / f".{name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        facts = build(tmp) or {}
        (tmp / MARKER).write_text(json.dumps({"key": key, **facts}, indent=2, default=str),
                                  encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if folder.exists():  # a stage built from other inputs, or never finished
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder, True


def facts(folder: Path) -> dict:
    """What a finished stage's marker records."""
    return json.loads((folder / MARKER).read_text(encoding="utf-8"))
