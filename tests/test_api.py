"""The public face: `import qualcode as qc` gives the documented API, and the README's
Python example runs as written."""

from __future__ import annotations

import re
import shutil

import pytest

import qualcode as qc
from conftest import REPO, SAMPLE

PUBLIC = ["Code", "Codebook", "Coding", "Document", "QualcodeError", "Quote", "Redactor",
          "RunOptions", "RunResult", "RunSummary", "Segment", "Span", "Topic", "__version__",
          "analyse", "bundled_codebooks", "compare_coders", "import_human_codes",
          "ingest_to_store", "load_codebook", "process", "read_qdpx", "run", "validate_refi",
          "write_outputs", "write_qdpx"]


def test_public_api_is_pinned():
    assert qc.__all__ == PUBLIC
    assert sorted(dir(qc)) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(qc, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'stages'"):
        qc.stages  # noqa: B018


def test_the_api_names_are_the_library_objects():
    from qualcode.pipeline.process import process
    from qualcode.pipeline.run import run
    from qualcode.redact import Redactor

    assert (qc.process, qc.run, qc.Redactor) == (process, run, Redactor)
    assert qc.load_codebook("supervision").ids == ("isolation", "boundaries", "burnout", "validation")


def readme_python_example() -> str:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Python\n", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.model  # the whole pipeline on the sample corpus, about a minute
def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "corpora" / "sample")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_python_example(), "README.md", "exec"), {})
    out = tmp_path / "out" / "python"
    for name in ("report.html", "codings.csv", "project.qdpx", "manifest.json"):
        assert (out / name).stat().st_size > 0, name
