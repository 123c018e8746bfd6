"""WebVTT and SubRip transcripts from Teams and Zoom."""

from __future__ import annotations

import pytest

from qualcode.errors import InputError
from qualcode.ingest import IngestOptions, read_source
from qualcode.ingest.source import Source
from qualcode.model import INTERVIEWER, PARTICIPANT
from qualcode.segment import segment

TEAMS_VTT = """WEBVTT
NOTE interviewer: Dana Whitfield

a1b2-0
00:00:01.000 --> 00:00:04.500
<v Dana Whitfield>Thanks for joining. How did you hear about the sessions?</v>

a1b2-1
00:00:05.000 --> 00:00:08.000
<v Priya Shah>Through the PCN newsletter,</v>

a1b2-2
00:00:08.000 --> 00:00:11.250
<v Priya Shah>and a colleague mentioned them.</v>

a1b2-3
00:00:12.000 --> 00:00:14.000
<v Dana Whitfield>Did you feel able to say everything?</v>
"""


def read(path):
    (document,) = read_source(Source(path, path.name), IngestOptions()).documents
    return document, segment([document])


def test_vtt_voice_tags_merge_consecutive_cues_and_keep_timing(write):
    document, segments = read(write("call.vtt", TEAMS_VTT))
    assert [s.role for s in segments] == [INTERVIEWER, PARTICIPANT, INTERVIEWER]
    assert segments[1].text == "Through the PCN newsletter, and a colleague mentioned them."
    assert segments[1].speaker == "Priya Shah"
    assert dict(segments[1].attributes) == {"start_time": "00:00:05.000", "end_time": "00:00:11.250"}
    assert all(s.text == document.text[s.start:s.end] for s in segments)


def test_zoom_style_name_prefix_and_interviewer_label(write):
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nInterviewer: Do you work alone?\n\n"
            "2\n00:00:03.000 --> 00:00:04.000\nP2: yes most of the time\n")
    _, segments = read(write("zoom.vtt", text))
    assert [(s.speaker, s.role) for s in segments] == [("Interviewer", INTERVIEWER), ("P2", PARTICIPANT)]


def test_srt_with_speaker_prefixes(write):
    text = ("1\n00:00:01,000 --> 00:00:03,000\nInterviewer: What helped?\n\n"
            "2\n00:00:03,500 --> 00:00:06,000\nParticipant 1: Peer support.\n\n"
            "3\n00:00:06,000 --> 00:00:07,000\nParticipant 1: Definitely.\n")
    _, segments = read(write("call.srt", text))
    assert [s.text for s in segments] == ["What helped?", "Peer support. Definitely."]
    assert segments[1].attributes["start_time"] == "00:00:03,500"


@pytest.mark.parametrize("name, content, problem", [
    ("no_header.vtt", "00:00:01.000 --> 00:00:02.000\nhello\n", "no WEBVTT header"),
    ("no_cues.vtt", "WEBVTT\n\nNOTE nothing here\n", "no subtitle cues"),
])
def test_broken_subtitles_are_rejected(write, name, content, problem):
    path = write(name, content)
    with pytest.raises(InputError, match=problem):
        read(path)
