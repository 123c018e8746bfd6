"""The HTML report: one self-contained file, readable on a phone and printable.

CSS is inline and charts are data URIs, so the file can be emailed or archived alone and opens
offline. Jinja's autoescape is on: every piece of text from the inputs is escaped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from qualcode.report.content import ReportContent

_TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render_html(content: ReportContent) -> str:
    """The report as an HTML string.

    >>> from qualcode.report.content import build_content
    >>> html = render_html(build_content(result))  # doctest: +SKIP
    """
    return _environment().get_template("report.html").render(c=content)
