"""Human codes given to `qualcode run` become agreement rows for the report."""

from __future__ import annotations

import pytest

from qualcode.model import Coding, Segment
from qualcode.pipeline.settings import RunOptions
from qualcode.pipeline.analyse import compare_with_people

SEGMENTS = [Segment(f"a.txt:{n}", "a.txt", 0, 1, f"turn {n}", "P1", "participant") for n in (2, 4, 6)]
MACHINE = [Coding("a.txt:2", "isolation", "semantic", 0.8, "nearest example", "qualcode"),
           Coding("a.txt:4", "burnout", "rule", 0.7, "cue: 'exhausted'", "qualcode")]


def test_machine_and_human_coders_are_compared_per_code(tmp_path):
    alice = tmp_path / "alice.csv"
    alice.write_text("segment_id,code\na.txt:2,isolation\na.txt:6,burnout\n")
    human, agreement = compare_with_people(SEGMENTS, MACHINE, None,
                                           RunOptions(human_codes=(str(alice),)))
    assert [(c.segment_id, c.coder, c.method) for c in human] == [
        ("a.txt:2", "alice", "human"), ("a.txt:6", "alice", "human")]
    rows = {(r["code"], r["coder_a"], r["coder_b"]): r for r in agreement}
    assert rows[("isolation", "alice", "qualcode")]["kappa"] == pytest.approx(1.0)
    # burnout: qualcode (0,1,0) vs alice (0,0,1): po 1/3, pe 5/9, kappa -0.5
    assert rows[("burnout", "alice", "qualcode")]["kappa"] == pytest.approx(-0.5)
    assert rows[("burnout", "alice", "qualcode")]["n_segments"] == 3


def test_a_compared_coder_may_not_share_qualcodes_name(tmp_path):
    from qualcode.errors import UsageError

    earlier = tmp_path / "qualcode.csv"  # the stem names the coder
    earlier.write_text("segment_id,code\na.txt:2,isolation\n")
    with pytest.raises(UsageError, match="^--codings: coder name 'qualcode' is used by machine codings in this run"):
        compare_with_people(SEGMENTS, MACHINE, None, RunOptions(human_codes=(str(earlier),)))
