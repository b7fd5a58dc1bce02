"""A figure drawn by the library: an SVG string and its text equivalent.

Every chart, map or diagram the explorer shows is built in the library as a
:class:`Figure`, so that the page only has to display it.  The ``text`` holds
the same content in words (a caption, an ordered list ...) for people who do
not see the picture, for printing, and for tests.

>>> Figure(svg="<svg/>", text="1. Police stop").text
'1. Police stop'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Figure"]


@dataclass(frozen=True)
class Figure:
    """An SVG drawing and its text equivalent.

    ``svg`` is a complete ``<svg>`` element (with ``role="img"``, a
    ``<title>`` and an ``aria-label``) that loads nothing from outside the
    machine; ``text`` says the same thing in words, in the same language.
    """

    svg: str
    text: str
