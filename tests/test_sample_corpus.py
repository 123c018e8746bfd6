"""The shipped sample corpus ingests completely, with the counts its author made by hand."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from conftest import REPO, SAMPLE
from qualcode.ingest import ingest
from qualcode.model import INTERVIEWER, PREAMBLE, SURVEY
from qualcode.pipeline.ingest import ingest_to_store
from qualcode.segment import segment

EXPECTED = json.loads((REPO / "tests" / "data" / "sample_expected.json").read_text())
_BULLET_BEFORE = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+$")


@pytest.fixture(scope="module")
def sample():
    result = ingest([SAMPLE])
    by_source = defaultdict(list)
    for source in result.sources:
        by_source[source.source.id] = list(source.documents)
    return result, by_source


def test_every_sample_file_is_ingested_without_rejection(sample):
    result, by_source = sample
    assert result.rejected == ()
    assert sorted(by_source) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] == "transcript"))
def test_transcript_turns_speakers_and_interviewer(sample, name):
    _, by_source = sample
    (document,) = by_source[name]
    turns = [s for s in segment([document]) if s.role != PREAMBLE]
    expected = EXPECTED[name]
    assert len(turns) == expected["turns"]
    assert sum(s.role == INTERVIEWER for s in turns) == expected["interviewer_turns"]
    assert len({s.speaker.lower() for s in turns}) == expected["speakers"]


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] == "survey"))
def test_survey_rows_answers_and_attributes(sample, name):
    _, by_source = sample
    documents = by_source[name]
    assert len(documents) == EXPECTED[name]["rows"]
    assert len(segment(documents)) == EXPECTED[name]["nonblank_answers"]
    assert all(d.kind == SURVEY for d in documents)
    # Role, wave and the like survive as attributes of every row.
    attribute_names = set(documents[0].attributes)
    assert any("role" in a.lower() for a in attribute_names)
    assert any("wave" in a.lower() for a in attribute_names)


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] == "notes"))
def test_notes_bullets(sample, name):
    _, by_source = sample
    (document,) = by_source[name]
    segments = segment([document])
    bullets = [s for s in segments
               if _BULLET_BEFORE.match(document.text[document.text.rfind("\n", 0, s.start) + 1: s.start])]
    assert len(bullets) == EXPECTED[name]["bullets"]


def test_offsets_hold_for_every_sample_segment(sample):
    result, _ = sample
    for document in result.documents:
        for s in segment([document]):
            assert s.text == document.text[s.start:s.end]


def test_segment_ids_are_stable_across_runs(sample, tmp_path):
    result, _ = sample
    again = ingest([SAMPLE])
    assert [s.id for s in segment(result.documents)] == [s.id for s in segment(again.documents)]
    assert len({s.id for s in segment(result.documents)}) == len(segment(result.documents))


def test_reingesting_the_sample_changes_nothing(tmp_path):
    first = ingest_to_store([SAMPLE], tmp_path)
    second = ingest_to_store([SAMPLE], tmp_path)
    assert {f.status for f in first.files} == {"added"}
    assert {f.status for f in second.files} == {"unchanged"}
    assert first.segments == second.segments
