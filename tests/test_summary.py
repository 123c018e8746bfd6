"""Terminal summaries: counts and reasons, never input text."""

from qualcode.results import RunResult
from qualcode.summary import run_summary


def test_run_summary_counts_topic_set_asides_by_reason():
    result = RunResult(documents=(), segments=(), topics_set_aside={"nothing_to_improve": 704, "filler": 970})
    topics_line = next(line for line in run_summary(result, "out").splitlines() if line.startswith("topics:"))
    assert topics_line == ("topics: 0 (0 outside the codebook); set aside before clustering: "
                           "970 empty or filler, 704 'nothing to improve'; quotes: 0")


def test_run_summary_without_set_asides_says_nothing_of_them():
    summary = run_summary(RunResult(documents=(), segments=()), "out")
    assert "set aside" not in summary
