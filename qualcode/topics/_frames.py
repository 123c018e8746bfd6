"""pandas views of a :class:`TopicResult`, shaped for CSV."""

from __future__ import annotations

import pandas as pd

from qualcode.topics._fit import TopicResult


def topics_frame(result: TopicResult) -> pd.DataFrame:
    """One row per topic: id, label, keywords, size, share, code_id, emergent.

    ``share`` is of clustered segments (set-aside segments excluded: filler, "nothing to
    improve" answers, interviewer turns). ``emergent``
    is true for a topic under no code, and empty when no codings were given.
    """
    clustered = max(result.info.n_clustered, 1)
    codebook_aware = bool(result.info.emergent_topic_ids) or any(t.code_id for t in result.topics)
    rows = [{
        "topic_id": topic.id, "label": topic.label, "keywords": "; ".join(topic.keywords),
        "size": topic.size, "share": round(topic.size / clustered, 4),
        "code_id": topic.code_id or "",
        "emergent": (topic.code_id is None) if codebook_aware else "",
    } for topic in result.topics]
    columns = ["topic_id", "label", "keywords", "size", "share", "code_id", "emergent"]
    return pd.DataFrame(rows, columns=columns)


def assignments_frame(result: TopicResult) -> pd.DataFrame:
    """One row per input segment: segment_id, topic_id (-1: none), and why it has none."""
    rows = []
    for segment_id, topic in result.assignments.items():
        reason = result.set_aside.get(segment_id, "outlier" if topic == -1 else "")
        rows.append({"segment_id": segment_id, "topic_id": topic, "set_aside": reason})
    return pd.DataFrame(rows, columns=["segment_id", "topic_id", "set_aside"])
