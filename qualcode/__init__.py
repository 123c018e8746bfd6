"""qualcode: offline qualitative text analysis for health and care research.

Pipeline: ingest -> segment -> redact -> code -> topics -> quotes -> report.
"""

from qualcode.errors import QualcodeError
from qualcode.model import Code, Codebook, Coding, Document, Quote, Segment, Span, Topic

__version__ = "0.1.0"

__all__ = ["Code", "Codebook", "Coding", "Document", "QualcodeError", "Quote", "Segment", "Span",
           "Topic", "__version__"]
