"""``topic_assignments.csv``: each segment's topic, and why it has none. (``topics.csv`` is
written by :func:`qualcode.report.tables.topics_frame`, for ``run`` and ``topics`` alike.)"""

from __future__ import annotations

import pandas as pd

from qualcode.topics._fit import TopicResult


def assignments_frame(result: TopicResult) -> pd.DataFrame:
    """One row per input segment: segment_id, topic_id (-1: none), and why it has none."""
    rows = []
    for segment_id, topic in result.assignments.items():
        reason = result.set_aside.get(segment_id, "outlier" if topic == -1 else "")
        rows.append({"segment_id": segment_id, "topic_id": topic, "set_aside": reason})
    return pd.DataFrame(rows, columns=["segment_id", "topic_id", "set_aside"])
