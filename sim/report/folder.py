"""The results folder of ``salesim run`` and ``salesim compare``, written whole: the
study's files (:func:`sim.study.output.write_study_files`) and the report's files
(``findings.md``, ``charts/``, ``report.html``), all into a temporary folder beside the
destination that is renamed into place, so a failed or interrupted run leaves nothing
half-written there. Public as ``sim.write_results``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sim.study.output import write_study_files
from sim.study.staging import temporary_folder

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.results import Results


def write_results(results: Results, out: str | Path, charts: bool = True,
                  command: list[str] | None = None) -> Path:
    """Write every output file into ``out``; ``out`` must not exist yet. ``command`` is
    recorded in the manifest (default: ``sys.argv``)."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"output folder {out} already exists; choose another --out")
    tmp = temporary_folder(out)  # with the umask's permissions, unlike mkdtemp
    try:
        write_study_files(results, tmp, command)
        compared = len(results.structures) > 1
        if compared:
            from sim.report.findings import findings_markdown

            (tmp / "findings.md").write_text(findings_markdown(results), encoding="utf-8")
        if charts:
            from sim.report.charts import comparison_charts, numbers_for, standard_charts

            if compared:
                # The PNG set and report.html are drawn from the folder's own files, as
                # `salesim report DIR` draws them: the two give the same report.
                from sim.report.html import write_report
                from sim.report.results_folder import ResultsFolder

                written, svg = ResultsFolder(tmp), {}
                comparison_charts(written, tmp / "charts", svg=svg)
                write_report(written, svg=svg)
            else:
                standard_charts(results.monthly, results.managers, tmp / "charts",
                                numbers_for(results.scenario),
                                results.scenario.experiment.initial_state == "fresh")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
