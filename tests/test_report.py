"""Tests of qualcode.report: every writer, on a small RunResult built by hand (no models)."""

from __future__ import annotations

import dataclasses

import base64
import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

import qualcode.report as report
from qualcode.model import (INTERVIEWER, PARTICIPANT, RESPONDENT, SURVEY, TRANSCRIPT, Code,
                            Codebook, Coding, Document, Quote, Segment, Topic, frozen_mapping)
from qualcode.report import _io, compute_figures, write_reports
from qualcode.report.figures import Wave, breakdown_attributes, detect_wave
from qualcode.report.xlsx import render_xlsx
from qualcode.results import RunResult, StageInfo

SECTION_IDS = ("overview", "methods", "codes", "cooccurrence", "topics", "appendix-codebook")
SECTION_TITLES = ("Overview", "Methods", "Codes", "Codes that occur together", "Topics",
                  "Appendix: codebook")
ALL_FILES = ("report.html", "report.docx", "quotes.xlsx", "segments.csv", "segments.parquet",
             "codings.csv", "codings.parquet", "topics.csv", "topics.parquet")

SPLW, CC, HWC = "Social prescribing link worker", "Care coordinator", "Health and wellbeing coach"
CUES = {  # code -> (cue matched by the "rule coder", sentences that contain it)
    "burnout": ("burn", ("I'm feeling burned out most weeks.",
                         "Honestly I'm close to burnout with the caseload.")),
    "isolation": ("isolat", ("It can be very isolating on my own in the practice.",
                             "I feel isolated from the clinical team.")),
    "boundaries": ("boundar", ("It's hard to draw any boundaries when patients ring me late.",
                               "Keeping boundaries with [PERSON_3]'s family is tough.")),
    "validation": ("validat", ("Was really good to get validation from our peers.",
                               "Hearing others say the same was real validation.")),
}
TRAVEL = "The travel to rural surgeries by bus eats half my day."
# Which codes each survey respondent's answer carries: baseline R01-R10, follow-up R11-R20.
SURVEY_CODES = {
    1: "burnout isolation", 2: "burnout isolation boundaries", 3: "burnout isolation",
    4: "burnout boundaries", 5: "burnout isolation", 6: "burnout boundaries", 7: "burnout",
    8: "isolation", 9: "isolation validation", 10: "validation",
    11: "burnout isolation validation", 12: "burnout boundaries validation",
    13: "burnout isolation validation", 14: "boundaries validation",
    15: "isolation boundaries validation", 16: "boundaries validation",
    17: "isolation validation", 18: "boundaries validation", 19: "isolation", 20: "boundaries",
}
TRANSCRIPTS = (  # (case, role, locality, participant turns as code lists)
    ("P01", SPLW, "London", ("isolation", "burnout", "validation", "")),
    ("P02", HWC, "Manchester", ("boundaries", "validation", "travel", "")),
    ("P03", CC, "Plymouth", ("burnout isolation", "travel", "boundaries", "validation")),
)


def _text(codes: str, number: int) -> str:
    sentences = [TRAVEL if c == "travel" else CUES[c][1][number % 2] for c in codes.split()]
    return " ".join(sentences) or "Nothing else to add really, thanks."


def _document(doc_id, kind, source, attributes, turns) -> tuple[Document, list[Segment]]:
    """A document whose text is its turns joined by blank lines; segments at the offsets."""
    text, segments, offset = "", [], 0
    for number, (speaker, role, turn, extra) in enumerate(turns, start=1):
        if text:
            text += "\n\n"
            offset += 2
        segments.append(Segment(f"{doc_id}:{number}", doc_id, offset, offset + len(turn), turn,
                                speaker, role, frozen_mapping(extra)))
        text += turn
        offset += len(turn)
    return Document(doc_id, text, kind, source, frozen_mapping(attributes)), segments


def build_run_result(**changes) -> RunResult:
    """3 interview transcripts + 20 survey rows, 4 codes, 3 topics (one emergent) and quotes."""
    documents, segments = [], []
    for case, role, locality, turns in TRANSCRIPTS:
        lines = []
        for n, codes in enumerate(turns):
            lines.append(("Interviewer", INTERVIEWER, "Can you tell me more about that?", {}))
            lines.append((case, PARTICIPANT, _text(codes, n), {}))
        doc, segs = _document(f"interview_{case.lower()}", TRANSCRIPT, f"interview_{case}.txt",
                              {"case": case, "role": role, "locality": locality,
                               "time_in_role": "1-2 years"}, lines)
        documents.append(doc)
        segments += segs
    for r in range(1, 21):
        role = (SPLW,) * 6 + (CC,) * 3 + (HWC,)
        attributes = {"role": role[(r - 1) % 10], "locality": ("Bolton", "Wigan", "Salford")[r % 3],
                      "wave": "Baseline" if r <= 10 else "Follow-up", "respondent_id": f"R{r:02d}",
                      "row": str(r)}
        answer = _text(SURVEY_CODES[r], r)
        if r == 5:
            answer += " <script>alert('x')</script> & caseload went from 40 to >60."
        answers = [("What support do you need?", answer)]
        if r in (8, 13, 18):
            answers.append(("Anything else?", TRAVEL if r != 18 else "=SUM(A1) is how they see us"))
        doc, segs = _document(f"survey_2023.csv#R{r:02d}", SURVEY, "survey_2023.csv", attributes,
                              [(None, RESPONDENT, a, {"question": q}) for q, a in answers])
        documents.append(doc)
        segments += segs
    codings = []
    for segment in segments:
        for code, (cue, _) in CUES.items():
            if segment.role != INTERVIEWER and cue in segment.text.lower():
                codings.append(Coding(segment.id, code, "rule", 0.9, f"cue '{cue}'",
                                      "qualcode:rule"))
    codings.append(Coding("survey_2023.csv#R13:2", "isolation", "semantic", 0.71,
                          "nearest example: 'It can be very isolating'", "qualcode:semantic"))
    coded = {c.segment_id for c in codings}
    topic_of, members = {}, {0: [], 1: [], 2: []}
    for segment in segments:
        if segment.role == INTERVIEWER:
            continue
        topic = 2 if "travel" in segment.text else 0 if "validat" in segment.text \
            else 1 if "burn" in segment.text else -1
        topic_of[segment.id] = topic
        if topic >= 0:
            members[topic].append(segment.id)
    topics = (
        Topic(0, "peer support and validation", ("peers", "validation", "sessions"),
              len(members[0]), tuple(members[0]), "validation"),
        Topic(1, "caseload and burnout", ("caseload", "burnout", "weeks"),
              len(members[1]), tuple(members[1]), "burnout"),
        Topic(2, "travel to rural surgeries", ("travel", "rural", "bus"),
              len(members[2]), tuple(members[2]), None),
    )
    by_id = {s.id: s for s in segments}
    picks = {"burnout": ("survey_2023.csv#R01:1", "survey_2023.csv#R05:1"),
             "isolation": ("interview_p01:2",), "boundaries": ("survey_2023.csv#R20:1",),
             "validation": ("survey_2023.csv#R14:1", "interview_p02:4"),
             "topic:2": ("survey_2023.csv#R08:2",), "topic:0": ("survey_2023.csv#R16:1",)}
    quotes = []
    for theme, ids in picks.items():
        for rank, sid in enumerate(ids):
            doc = next(d for d in documents if d.id == by_id[sid].doc_id)
            role = doc.attributes["role"] if doc.attributes["role"] != HWC else "role withheld"
            who = doc.attributes.get("respondent_id") or doc.attributes["case"]
            wave = doc.attributes.get("wave", "interview")
            shown = {"wave": wave} if role == "role withheld" else {"role": role, "wave": wave}
            quotes.append(Quote(sid, by_id[sid].text, ", ".join([who, *shown.values()]), theme,
                                0.9 - rank / 10, pseudonym=who, shown=frozen_mapping(shown)))
    values = dict(
        documents=tuple(documents), segments=tuple(segments),
        codebook=Codebook(tuple(Code(c, c.capitalize(), f"Talk of {c} in the role.",
                                     include=f"Explicit mentions of {c}.",
                                     exclude="Reports about clients rather than the worker.",
                                     examples=(CUES[c][1][0],), keywords=(CUES[c][0],))
                                for c in CUES), version="2", name="Supervision of link workers"),
        codings=tuple(codings), topics=topics, topic_of_segment=topic_of, quotes=tuple(quotes),
        quote_note="Attributes of groups with fewer than 5 people are withheld from attributions.",
        redactions={"PERSON": 14, "PHONE": 2, "ORGANISATION": 3},
        stages=(StageInfo("ingest", "Read 3 transcripts and 1 survey table", 0.2),
                StageInfo("redact", "spaCy NER + UK patterns", 1.5,
                          frozen_mapping({"pseudonyms": "consistent"})),
                StageInfo("code", "Keyword rules, then semantic similarity to codebook examples",
                          2.0, frozen_mapping({"threshold": "0.6"})),
                StageInfo("topics", "BERTopic on MiniLM embeddings", 4.0,
                          frozen_mapping({"seed": "42"})),
                StageInfo("quotes", "Representative, diverse quotes per theme", 0.1)),
        versions={"qualcode": "0.1.0", "spacy": "3.8.7", "bertopic": "0.17.4"},
        rejected=(("survey_2019.xls", "unsupported format .xls: save it as .xlsx"),),
        warnings=("2 survey rows had no answer and were skipped",),
        agreement=({"code": "burnout", "coder_a": "qualcode:rule", "coder_b": "human:AB",
                    "n_segments": 30, "kappa": 0.81, "percent_agreement": 0.93, "alpha": 0.8},),
        title="Supervision of link workers: interviews and survey",
    )
    values.update(changes)
    return RunResult(**values)


@pytest.fixture
def result() -> RunResult:
    return build_run_result()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """One full set of outputs, shared by the tests that only read them (charts are slow)."""
    out = tmp_path_factory.mktemp("report")
    write_reports(build_run_result(), out)
    return out


def _copy_outputs(source: Path, target: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in source.iterdir()}
    for name, data in files.items():
        (target / name).write_bytes(data)
    return files


def test_write_reports_writes_every_file(written):
    assert sorted(p.name for p in written.iterdir()) == sorted(ALL_FILES)
    assert all((written / name).stat().st_size > 0 for name in ALL_FILES)


def test_html_has_every_section_id(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    for section in SECTION_IDS:
        assert f'<section class="major" id="{section}">' in html
    for anchor in ("code-burnout", "code-validation", "topic-2"):
        assert f'id="{anchor}"' in html


def test_html_is_self_contained(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    for forbidden in ("http://", "https://", 'src="/', "<link", "<script src", "@import", "url("):
        assert forbidden not in html
    assert '<meta name="viewport"' in html and "@media print" in html


def test_html_charts_are_png_data_uris_with_alt_text(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)">', html)
    # prevalence, by role, by locality, by wave, co-occurrence heatmap, topic sizes
    assert len(images) == len(re.findall(r"<img ", html)) == 6
    for data, alt in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
        assert len(alt) > 40
    alts = [alt for _, alt in images]
    assert any("Burnout: 12 of 23 (52%)" in alt for alt in alts)
    assert any("travel to rural surgeries: 4 segments (emergent)" in alt for alt in alts)


def test_html_escapes_input_text(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    escaped = ("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
               "caseload went from 40 to &gt;60")
    assert escaped in html


def test_prevalence_counts_people_and_segments(result):
    prevalence = compute_figures(result).prevalence.set_index("code_id")
    # burnout: respondents R01-R07 and R11-R13, participants P01 and P03.
    assert prevalence.loc["burnout", ["people", "people_base"]].tolist() == [12, 23]
    assert prevalence.loc["validation", "people"] == 13
    assert prevalence.loc["burnout", "segments_base"] == 35  # 12 turns + 23 answers
    assert prevalence.loc["isolation", "segments"] == 14  # 13 rule-coded + 1 semantic


def test_breakdown_cells_under_five_are_suppressed(result, written):
    figures = compute_figures(result)
    assert list(figures.breakdowns) == ["role", "locality", "wave"]  # time_in_role: 1 value
    role = figures.breakdowns["role"].set_index(["value", "code_id"])
    coach = role.loc[(HWC, "burnout")]
    assert (coach.group_size, coach.group_text, coach.text) == (3, "<5", "<5")
    assert pd.isna(coach.pct)
    small = role.loc[(CC, "burnout")]  # 2 of 7 care coordinators: a count under 5
    assert small.suppressed and small.text == "<5" and pd.isna(small.pct)
    shown = role.loc[(SPLW, "validation")]
    assert not shown.suppressed and shown.text == "7 of 13 (54%)"
    locality = figures.breakdowns["locality"]
    assert set(locality[locality.value == "London"].text) == {"<5"}
    html = (written / "report.html").read_text(encoding="utf-8")
    assert '<td class="suppressed">&lt;5</td>' in html
    assert "2 of 7" not in html


def test_change_from_baseline_to_follow_up(result):
    figures = compute_figures(result)
    assert figures.wave == Wave("wave", "Baseline", "Follow-up")
    change = figures.change.set_index("code_id")
    assert change.loc["isolation", "baseline_text"] == "6 of 10 (60%)"
    assert change.loc["isolation", "follow_up_text"] == "5 of 10 (50%)"
    assert change.loc["burnout", "follow_up_text"] == "<5"
    assert pd.isna(change.loc["burnout", "change_pp"])
    assert change.loc["isolation", "change_pp"] == -10


def test_breakdowns_merge_spellings_and_skip_ids_and_scores():
    docs = [Document(str(i), "x", SURVEY, "s.csv", frozen_mapping({
        "Time in role" if i < 6 else "time_in_role": ("<1 year", "1-2 years")[i % 2],
        "Stress (0-10)": str(i % 7), "respondent_id": str(i), "Email": "anonymous"}))
        for i in range(10)]
    assert breakdown_attributes(docs) == ["Time in role"]
    assert compute_figures(RunResult(docs, tuple(Segment(f"{d.id}:1", d.id, 0, 1, "x", None,
                                                         RESPONDENT) for d in docs))
                           ).group_sizes == {"Time in role": {"1-2 years": 5, "<1 year": 5}}


def test_wave_detected_from_two_values_of_a_wave_like_attribute():
    docs = [Document(str(i), "x", SURVEY, "s.csv", frozen_mapping({"timepoint": t}))
            for i, t in enumerate(["2022", "2023", "2022", "2023"])]
    assert detect_wave(docs, ["timepoint"]) == Wave("timepoint", "2022", "2023")
    assert detect_wave(docs, []) is None


def test_methods_are_written_from_the_run(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    methods = html.split('id="methods"')[1].split('id="codes"')[0]
    assert "Personal data were replaced with consistent pseudonyms before analysis" in methods
    assert "19 replacements: names of people: 14; organisations: 3; telephone numbers: 2" in methods
    assert "spaCy NER + UK patterns" in methods and "threshold = 0.6" in methods
    assert "bertopic 0.17.4" in methods and "Kappa ranged from 0.81 to 0.81" in methods
    assert "3 interview transcripts and 20 survey responses" in methods
    assert "12 interviewer turns were kept for context but not coded or quoted" in methods
    assert "describe the speaker's own experience" not in methods  # the codebook says "any"


def test_methods_say_when_codes_describe_only_the_speakers_experience():
    from qualcode.report.content import build_content

    result = build_run_result()
    book = result.codebook
    result = dataclasses.replace(result, codebook=dataclasses.replace(book, subject="speaker"))
    coding = next(p for p in build_content(result).methods if p.startswith("Segments were coded"))
    assert "a segment about someone else that said nothing of the speaker was coded only " \
           "where a keyword said so" in coding
    assert "read as generic words" not in coding  # the codebook lists no setting terms


def test_methods_say_when_setting_terms_were_read_as_generic_words():
    from qualcode.report.content import build_content

    result = build_run_result()
    terms = (("worker", ("link worker",)),)
    result = dataclasses.replace(result, codebook=dataclasses.replace(result.codebook,
                                                                      setting_terms=terms))
    coding = next(p for p in build_content(result).methods if p.startswith("Segments were coded"))
    assert "Words for roles, workplaces and colleagues common to every code were read as " \
           "generic words" in coding


def test_answers_set_aside_before_topic_modelling_are_counted_by_reason():
    from qualcode.report.content import build_content

    result = build_run_result(topics_set_aside={"filler": 2, "nothing_to_improve": 3})
    content = build_content(result)
    topics = next(p for p in content.methods if p.startswith("Themes beyond the codebook"))
    assert "5 segments were set aside before clustering (2 empty or filler, 3 'nothing to improve')" in topics
    assert "counted as \u2018nothing to improve\u2019 instead of forming a topic: 3 of " in topics
    rows = content.topic_table.rows[-2:]
    assert [(r[0], r[2]) for r in rows] == [("Not clustered: empty or filler", "2"),
                                           ("Not clustered: 'nothing to improve'", "3")]


def test_overview_lists_rejected_inputs_and_warnings(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    overview = html.split('id="overview"')[1].split('id="methods"')[0]
    assert "survey_2019.xls" in overview and "save it as .xlsx" in overview
    assert "2 survey rows had no answer" in overview
    assert "Segments</th><td>47 (23 survey, 24 transcript)</td>" in overview


def test_topics_flag_emergent_themes(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    topics = html.split('id="topics"')[1].split('id="appendix-codebook"')[0]
    emergent = topics.split('id="topic-2"')[1].split("</section>")[0]
    assert "Emergent" in emergent and "outside the codebook" in emergent
    assert "The travel to rural surgeries by bus eats half my day." in emergent
    assert "Emergent" not in topics.split('id="topic-0"')[1].split("</section>")[0]


def test_docx_opens_with_headings_pictures_and_quotes(written, result):
    document = docx.Document(str(written / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in SECTION_TITLES + ("Burnout", "Validation", "travel to rural surgeries (emergent)"):
        assert title in headings
    assert len(document.inline_shapes) == 6
    quotes = [p for p in document.paragraphs if p.runs and p.runs[0].italic]
    assert len(quotes) == len(result.quotes)
    assert document.core_properties.author == "qualcode"
    assert document.core_properties.created.year == 2000
    assert len(document.tables) > 10


def test_xlsx_has_quotes_matrix_and_codebook(written, result):
    workbook = openpyxl.load_workbook(written / "quotes.xlsx")
    assert workbook.sheetnames == ["Quotes", "Segments x codes", "Codebook"]
    quotes = list(workbook["Quotes"].iter_rows(values_only=True))
    header = quotes[0]
    assert header[:6] == ("theme_type", "theme", "theme_id", "text", "pseudonymous_id",
                          "attribution")
    assert len(quotes) - 1 == len(result.quotes)
    rows = [dict(zip(header, row)) for row in quotes[1:]]
    coach = next(r for r in rows if r["pseudonymous_id"] == "R20")
    # Only what the attribution shows: a withheld role is not listed beside it either.
    assert coach["attributes"] == "wave: Follow-up" and "role" not in coach["attribution"]
    assert not any(".csv" in r["pseudonymous_id"] or ".txt" in r["pseudonymous_id"] for r in rows)
    assert {r["theme_type"] for r in rows} == {"code", "topic"}
    matrix = list(workbook["Segments x codes"].iter_rows(values_only=True))
    head = matrix[0]
    assert len(matrix) - 1 == len(result.segments)
    applied = {(c.segment_id, c.code_id) for c in result.codings}
    for row in matrix[1:]:
        cells = dict(zip(head, row))
        for code in result.codebook.codes:
            assert cells[code.name] == int((cells["segment_id"], code.id) in applied)
    assert "attr_role" in head and "wave" in head and "question" in head
    codebook = list(workbook["Codebook"].iter_rows(values_only=True))
    assert [row[0] for row in codebook[1:]] == list(result.codebook.ids)


def test_xlsx_keeps_formula_like_text_as_text(result, tmp_path):
    quote = Quote("survey_2023.csv#R18:2", "=SUM(A1) is how they see us", "R18", "boundaries", 0.5)
    data = render_xlsx(build_run_result(quotes=result.quotes + (quote,)))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Quotes"]
    texts = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert "=SUM(A1) is how they see us" in texts
    assert all(row[3].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_xlsx_styles_survive_write_only_sheets(written):
    sheet = openpyxl.load_workbook(written / "quotes.xlsx")["Quotes"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.column_dimensions["D"].width == 80 and sheet["D2"].alignment.wrap_text


def test_a_matrix_beyond_excels_rows_is_left_out_with_a_note(result, monkeypatch):
    import qualcode.report.xlsx as xlsx

    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", len(result.segments))  # as if one row too many
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(result)))
    (note,), = workbook["Segments x codes"].iter_rows(values_only=True)
    assert note.startswith(f"{len(result.segments):,} segments are more rows than an Excel sheet holds")
    assert "segments.csv and codings.csv" in note
    assert len(list(workbook["Quotes"].iter_rows())) == len(result.quotes) + 1  # the rest is whole


def test_csv_and_parquet_row_counts_match(written, result):
    expected = {"segments": len(result.segments), "codings": len(result.codings),
                "topics": len(result.topics)}
    for name, rows in expected.items():
        assert len(pd.read_csv(written / f"{name}.csv")) == rows
        assert len(pd.read_parquet(written / f"{name}.parquet")) == rows
    segments = pd.read_parquet(written / "segments.parquet").set_index("segment_id")
    assert segments.loc["interview_p01:1", "role"] == INTERVIEWER
    assert segments.loc["interview_p01:2", "attr_role"] == SPLW
    assert segments.loc["survey_2023.csv#R08:2", "topic_id"] == 2
    assert pd.isna(segments.loc["interview_p01:1", "topic_id"])


def test_writing_twice_gives_identical_bytes(written, tmp_path):
    first, second = written, tmp_path / "again"
    paths = write_reports(build_run_result(), second)
    assert sorted(p.name for p in paths) == sorted(ALL_FILES)
    for name in ALL_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for name in ("report.docx", "quotes.xlsx"):
        with zipfile.ZipFile(first / name) as archive:
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_failed_run_leaves_earlier_outputs_untouched(written, tmp_path, monkeypatch):
    before = _copy_outputs(written, tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while rendering")

    monkeypatch.setattr(report, "render_docx", broken)
    with pytest.raises(RuntimeError):
        write_reports(build_run_result(title="A different title"), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_write_interrupted_midway_leaves_no_partial_file(written, tmp_path, monkeypatch):
    before = _copy_outputs(written, tmp_path)
    calls = []

    def fsync_then_fail(fd):  # the temporary file holds data when this runs
        calls.append(fd)
        if len(calls) == 3:
            raise OSError("No space left on device")

    monkeypatch.setattr(_io.os, "fsync", fsync_then_fail)
    with pytest.raises(OSError):
        write_reports(build_run_result(title="A different title"), tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(after) == sorted(before)  # no temporary file left behind
    assert after["quotes.xlsx"] == before["quotes.xlsx"]  # the file being written: unchanged
    assert after["report.html"] != before["report.html"]  # earlier files: complete, new title
    assert after["segments.csv"] == before["segments.csv"]


def test_run_without_codes_topics_or_quotes_still_reports(tmp_path):
    bare = build_run_result(codebook=None, codings=(), topics=(), topic_of_segment={},
                            quotes=(), agreement=(), stages=(), redactions={})
    paths = write_reports(bare, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert len(paths) == len(ALL_FILES)
    assert "No topics were modelled in this run." in html
    assert all(f'id="{s}"' in html for s in SECTION_IDS)


def test_chart_pngs_carry_no_software_metadata(result):
    from qualcode.report.charts import all_charts

    for chart in all_charts(compute_figures(result)).values():
        assert b"matplotlib" not in chart.png.lower() and b"Software" not in chart.png
        assert io.BytesIO(chart.png).read(8) == b"\x89PNG\r\n\x1a\n"


def test_public_api_is_pinned():
    assert report.__all__ == ["Figures", "ReportContent", "build_content", "compute_figures",
                              "render_docx", "render_html", "render_outputs", "render_tables",
                              "render_xlsx", "write_reports"]
