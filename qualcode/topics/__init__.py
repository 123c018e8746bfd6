"""Topics: inductive themes beyond the codebook, offline and deterministic.

The public API is :func:`fit_topics` (one fit on every segment given) and
:func:`fit_topics_sampled` (what the pipeline calls: above 20,000 segments, a fit on a sample
and the rest given their nearest topic), their :class:`TopicSettings`, the
:class:`TopicResult` they return (with its :class:`TopicModelInfo` run summary), and the
topic of each segment as a table (:func:`assignments_frame`).
Backends (reducers, clusterers) are chosen by name; see ``_reduce`` and ``_cluster``.
"""

from qualcode.lexicon.filler import FILLER_ANSWERS, is_filler
from qualcode.topics._fit import TopicModelInfo, TopicResult, fit_topics
from qualcode.topics._frames import assignments_frame
from qualcode.topics._settings import TopicSettings
from qualcode.topics.sampled import fit_topics_sampled

__all__ = ["FILLER_ANSWERS", "TopicModelInfo", "TopicResult", "TopicSettings", "assignments_frame",
           "fit_topics", "fit_topics_sampled", "is_filler"]
