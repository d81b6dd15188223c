"""What identifies a study on disk, and how its files are written so that a reader or a
resume never meets a half-written one.

A study's key (the scenario's hash, the structures, the seed; for a sweep also the
design) is written beside its partial results and checked when it resumes. Finished
replications of ``compare`` wait in ``OUT.partial`` (:class:`Staging`); a sweep's points
are written by :func:`atomic_parquet` into its own folder. Every file is written to a
hidden temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd

from sim.config.scenario import Scenario


def scenario_sha256(scenario: Scenario) -> str:
    """The SHA-256 of the scenario's JSON form (keys sorted): same numbers, same hash."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def study_key(scenario: Scenario, structures: list[str], seed: int) -> dict:
    """What identifies a study's replications: the scenario, the structures, the seed."""
    return {"scenario_sha256": scenario_sha256(scenario),
            "structures": list(structures), "seed": int(seed)}


def sweep_key(scenario: Scenario, design: str, points: int, replications: int,
              structures: list[str], seed: int) -> dict:
    """What identifies a sweep's results; a resume must match it."""
    return {"scenario_sha256": scenario_sha256(scenario), "design": design,
            "points": int(points), "replications": int(replications),
            "structures": list(structures), "seed": int(seed),
            "salib": metadata.version("SALib")}


def atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` (its folder made if needed) through a hidden
    temporary file of this process, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: no reader sees it
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def atomic_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a hidden temporary file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def umask() -> int:
    """The process's umask, read without changing it where the system tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:  # not Linux: set and restore (the only portable way to read it)
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def shared_permissions(path: Path, folder: bool = True) -> Path:
    """Give ``path`` the permissions a plain ``mkdir`` or ``open`` would have given it
    under the umask: :func:`tempfile.mkdtemp` and ``mkstemp`` make their folder and file
    readable by the owner only, which would keep a handed-over results folder from a
    colleague or a web server."""
    os.chmod(path, (0o777 if folder else 0o666) & ~umask())
    return path


def temporary_folder(destination: Path, suffix: str = ".tmp") -> Path:
    """A new hidden folder beside ``destination`` (its parent made if needed), with the
    umask's permissions, to be filled and renamed to ``destination``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=suffix,
                           dir=destination.parent)
    return shared_permissions(Path(tmp))



def swap_into_place(tmp: Path, folder: Path) -> None:
    """Move the finished ``tmp`` (from :func:`temporary_folder`) to ``folder``, replacing
    an earlier one: the old folder is renamed aside first, so a reader finds the old or
    the new, never half of either."""
    old = folder.with_name(f".{folder.name}.old")
    if folder.exists():
        os.rename(folder, old)
    os.rename(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)

class Staging:
    """Finished replications kept beside the output folder (``DIR.partial``) as soon as
    each one ends, so an interrupted study can resume where it stopped."""

    def __init__(self, folder: Path, study: dict):
        self.folder = Path(folder)
        self.study = study
        marker = self.folder / "study.json"
        if marker.exists():
            known = json.loads(marker.read_text())
            if known != study:
                changed = sorted(k for k in set(study) | set(known)
                                 if known.get(k) != study.get(k))
                raise StagingMismatch(
                    f"{self.folder} holds replications of another study (different "
                    f"{', '.join(changed)}); remove it or use another --out")
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_text(marker, json.dumps(study, indent=2))

    def _paths(self, r: int) -> tuple[Path, Path]:
        return (self.folder / f"replication-{r:05d}-monthly.parquet",
                self.folder / f"replication-{r:05d}-managers.parquet")

    def done(self) -> list[int]:
        return sorted(int(p.name.split("-")[1]) for p in self.folder.glob("*-managers.parquet"))

    def save(self, r: int, frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
        for path, frame in zip(self._paths(r), frames, strict=True):
            atomic_parquet(frame, path)  # the managers file last: its presence marks done

    def load(self, r: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        monthly, managers = (pd.read_parquet(p) for p in self._paths(r))
        return monthly, managers

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class StagingMismatch(ValueError):
    """The staging folder belongs to a different study."""
