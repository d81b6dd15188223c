"""The command's own flags: --version, flags shown as flags in --help, and results
folders readable as the umask allows (not owner-only)."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from sim.cli.app import version

from tests.helpers import salesim, small


def test_version_prints_the_installed_version():
    r = salesim("--version")
    assert r.returncode == 0 and r.stdout == f"salesim {version()}\n"
    assert version()[0].isdigit()


@pytest.mark.parametrize("command", ["", "compare", "sweep", "calibrate", "report"])
def test_flags_show_no_value_type_in_help(command):
    r = salesim(*command.split(), "--help")
    assert r.returncode == 0, r.stderr
    assert "--help" in r.stdout
    assert "<bool>" not in r.stdout, r.stdout


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_a_results_folder_gets_the_permissions_of_the_umask(tmp_path, mask):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    out = tmp_path / "out"
    old = os.umask(mask)
    try:  # the child inherits the umask
        r = salesim("run", scenario, "--replications", 1, "--executor", "serial",
                    "--out", out, "-q")
    finally:
        os.umask(old)
    assert r.returncode == 0, r.stderr
    assert _mode(out) == 0o777 & ~mask
    assert _mode(out / "summary.csv") == 0o666 & ~mask


def test_the_temporary_folders_of_the_study_layer_follow_the_umask(tmp_path):
    from sim.study.staging import shared_permissions, temporary_folder

    old = os.umask(0o002)
    try:
        folder = temporary_folder(tmp_path / "deep" / "out")
        file = tmp_path / "f"
        file.write_text("x")
        os.chmod(file, 0o600)
        shared_permissions(file, folder=False)
    finally:
        os.umask(old)
    assert folder.parent == tmp_path / "deep" and folder.name.startswith(".out.")
    assert _mode(folder) == 0o775 and _mode(file) == 0o664
