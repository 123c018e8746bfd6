"""REFI-QDA project exchange (``.qdpx``) with NVivo, ATLAS.ti, MAXQDA and QualCoder.

:func:`write_qdpx` exports documents (normally their redacted text), the codebook and every
coding; :func:`read_qdpx` imports a project coded elsewhere, and
:meth:`QdpxProject.codings_for` turns its selections into codings of qualcode segments, for
example to measure agreement between a person and qualcode. Codebooks alone (``.qdc``) are
handled by :mod:`qualcode.codebook.qdc`.
"""

from qualcode.export.project import QdpxCode, QdpxProject, QdpxSelection, QdpxSource, QdpxUser
from qualcode.export.read import read_qdpx
from qualcode.export.write import write_qdpx

__all__ = ["QdpxCode", "QdpxProject", "QdpxSelection", "QdpxSource", "QdpxUser", "read_qdpx",
           "write_qdpx"]
