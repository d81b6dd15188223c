"""``import sim`` stays light: the public names load their modules on first use."""

from __future__ import annotations

import subprocess
import sys

import sim


def test_every_public_name_resolves():
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name


def test_import_sim_does_not_load_pandas_scipy_or_duckdb():
    code = ("import sys, sim; heavy = [m for m in ('pandas', 'scipy', 'duckdb', "
            "'matplotlib') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
