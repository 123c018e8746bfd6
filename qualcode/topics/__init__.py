"""Topics: inductive themes beyond the codebook, offline and deterministic.

The public API is :func:`fit_topics`, its :class:`TopicSettings`, the :class:`TopicResult`
it returns (with its :class:`TopicModelInfo` run summary), and pandas views for CSV.
Backends (reducers, clusterers) are chosen by name; see ``_reduce`` and ``_cluster``.
"""

from qualcode.filler import FILLER_ANSWERS, is_filler
from qualcode.topics._fit import TopicModelInfo, TopicResult, fit_topics
from qualcode.topics._settings import TopicSettings
from qualcode.topics._frames import assignments_frame, topics_frame

__all__ = ["FILLER_ANSWERS", "TopicModelInfo", "TopicResult", "TopicSettings", "assignments_frame",
           "fit_topics", "is_filler", "topics_frame"]
