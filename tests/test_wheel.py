"""qualcode outside this repository: the wheel, installed with the lock into a new virtual
environment, runs the main job from another folder with a bundled codebook."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO, SAMPLE


def _run(*command: object, cwd=None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                            text=True)
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow  # builds a wheel, installs the lock into a new environment, runs the sample
def test_the_wheel_installed_with_the_lock_runs_the_sample_from_elsewhere(tmp_path):
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", tmp_path / "dist", REPO)
    wheel = next((tmp_path / "dist").glob("qualcode-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "qualcode/codebook/bundled/supervision.yaml" in names
    assert "qualcode/export/schemas/Project-mrt2019.xsd" in names

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    # Exactly as the Makefile installs: the lock with hashes, nothing resolved, then qualcode.
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes",
         "-r", REPO / "requirements.lock")
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", wheel)
    _run(python, "-m", "pip", "check")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = _run(venv / "bin" / "qualcode", "codebooks", cwd=elsewhere).stdout
    assert listed.startswith("plymouth_pathway:") and "\nsupervision:" in listed
    _run(venv / "bin" / "qualcode", "run", SAMPLE, "--codebook", "supervision", "--out", "out",
         "--fast", "--quiet", cwd=elsewhere)
    out = elsewhere / "out"
    for name in ("report.html", "quotes.xlsx", "project.qdpx", "codebook.qdc", "codings.csv"):
        assert (out / name).stat().st_size > 0, name
    # The installed package was used, not this checkout.
    versions = json.loads((out / "manifest.json").read_text())
    assert versions["settings"]["codebook"] == "supervision"
    assert str(REPO) not in _run(python, "-c", "import qualcode; print(qualcode.__file__)",
                                 cwd=elsewhere).stdout
    _run(venv / "bin" / "qualcode", "validate", out / "project.qdpx", out / "codebook.qdc",
         cwd=elsewhere)
