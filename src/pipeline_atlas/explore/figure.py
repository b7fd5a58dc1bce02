"""A figure drawn by the library: an SVG string and its text equivalent.

Every chart, map or diagram the explorer shows is built in the library as a
:class:`Figure`, so that the page only has to display it.  The ``text`` holds
the same content in words (a caption, an ordered list ...) for people who do
not see the picture, for printing, and for tests.

>>> Figure(svg="<svg/>", text="1. Police stop").text
'1. Police stop'
>>> Figure(svg="<svg>\\n  <title>A</title>\\n\\n</svg>", text="A").html
'<div class="pa-figure"><svg> <title>A</title> </svg></div>'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Figure"]

_LINE_BREAKS = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Figure:
    """An SVG drawing and its text equivalent.

    ``svg`` is a complete ``<svg>`` element (with ``role="img"``, a
    ``<title>`` and an ``aria-label``) that loads nothing from outside the
    machine; ``text`` says the same thing in words, in the same language.
    """

    svg: str
    text: str

    @property
    def html(self) -> str:
        """The SVG on one line inside ``<div class="pa-figure">``, ready to be shown as raw HTML
        inside Markdown (a blank line would end the HTML block; its links stay clickable)."""
        return '<div class="pa-figure">' + _LINE_BREAKS.sub(" ", self.svg) + "</div>"
