r"""A plan as one PDF document (fpdf2, pure Python): the blocks of :mod:`.html` laid out with the
PDF core fonts, a new page before each stage, the links to the sources kept.

The core fonts cover Latin-1, which holds every Spanish letter (á, é, ñ, ¿, ¡, «, »); typographic
marks outside it are written with their nearest Latin-1 equivalent (:func:`latin1`), so nothing
depends on a font file being installed.

>>> latin1("\u201cSB 54\u201d \u2014 ok\u2026 \u2018a\u2019 \u2192 b, se\u00f1al")
'"SB 54" - ok... \'a\' -> b, señal'
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

from .html import Block, blocks
from .model import CityPlan

__all__ = ["latin1", "to_pdf"]

_LATIN1 = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2014": "-",
        "\u2013": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2192": "->",
        "\u2022": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",
    }
)

_FONT = "Helvetica"
_SIZES = {1: 18, 2: 14, 3: 12, 0: 10}
_LINE = {1: 9, 2: 7, 3: 6, 0: 5}
_INDENT = 6  # millimetres a list level


def latin1(text: str) -> str:
    """``text`` with what the core fonts cannot show replaced by its nearest Latin-1 form."""
    text = text.translate(_LATIN1)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        text = "".join(
            ch
            if ord(ch) < 256
            else unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            or "?"
            for ch in text
        )
    return text


def _write(pdf: FPDF, block: Block) -> None:
    size = _SIZES.get(block.level, 10)
    height = _LINE.get(block.level, 5)
    margin = pdf.l_margin
    if block.depth >= 0:
        indent = margin + _INDENT * block.depth
        pdf.set_x(indent)
        pdf.set_font(_FONT, "", size)
        pdf.write(height, "- " if block.depth == 0 else "· ")
        pdf.set_left_margin(indent + _INDENT * 0.7)
    for run in block.runs:
        bold = block.level > 0 or run.bold
        pdf.set_font(_FONT, ("B" if bold else "") + ("U" if run.url else ""), size)
        if run.url:
            pdf.set_text_color(6, 69, 173)
            pdf.write(height, latin1(run.text), link=run.url)
            pdf.set_text_color(0, 0, 0)
        else:
            pdf.write(height, latin1(run.text))
    pdf.ln(height + (2 if block.level else 1))
    pdf.set_left_margin(margin)


def to_pdf(plan: CityPlan) -> bytes:
    """The whole plan as PDF bytes: the title and introduction, then each stage on a new page,
    then who governs the place and its programs."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    found = blocks(plan)
    title = "".join(run.text for run in found[0].runs)
    pdf.set_title(latin1(title))
    pdf.set_lang(plan.lang)
    pdf.set_creator("Pipeline Atlas")
    pdf.add_page()
    for block in found:
        if block.level == 2 and (block.anchor or "").startswith("stage-"):
            pdf.add_page()
        elif block.level == 2:
            pdf.ln(4)
        _write(pdf, block)
    return bytes(pdf.output())
