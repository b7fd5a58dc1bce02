"""A plan as one self-contained, print-ready HTML document: no scripts, no styles or fonts from
elsewhere, the print stylesheet inline, a page break before each stage, the links to the sources
kept.

The text is the Markdown of :mod:`.markdown` (the plan's only wording), read back here as blocks
(:func:`blocks`: headings, paragraphs and nested list items of :class:`Run` s) that this module and
:mod:`.pdf` lay out.

>>> for run in runs(r"**SB 54** \\*not\\* [CIPC](<https://caimmigrant.org/>)"):
...     print(run)
Run(text='SB 54', bold=True, url=None)
Run(text=' *not* ', bold=False, url=None)
Run(text='CIPC', bold=False, url='https://caimmigrant.org/')
>>> print(markdown_to_html("- **a**\\n    - b"))
<ul>
<li><strong>a</strong>
<ul>
<li>b</li>
</ul>
</li>
</ul>
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..i18n import t
from .markdown import footer, intro, sections, title
from .model import CityPlan

__all__ = ["Block", "Run", "blocks", "markdown_to_html", "runs", "to_html"]

_INLINE = re.compile(
    r"\\(?P<escaped>.)"
    r"|\*\*(?P<bold>(?:\\.|[^*\\])+)\*\*"
    r"|\[(?P<text>(?:\\.|[^\]\\])+)\]\(<?(?P<url>[^)>\s]+(?:\([^)>\s]*\))?)>?\)"
)
_UNESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Run:
    """A piece of text with one style: plain, bold, or a link to ``url``."""

    text: str
    bold: bool = False
    url: str | None = None


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1 to 3), a paragraph (``level`` 0, ``depth`` -1) or a list item at
    ``depth`` 0, 1, 2… with its runs."""

    level: int
    runs: tuple[Run, ...]
    depth: int = -1
    anchor: str | None = None


def runs(text: str) -> list[Run]:
    """The runs of one line of the plan's Markdown (escapes, ``**bold**``, ``[links](<url>)``)."""
    out: list[Run] = []
    plain: list[str] = []
    position = 0

    def flush() -> None:
        if plain:
            out.append(Run("".join(plain)))
            plain.clear()

    for match in _INLINE.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        if match["escaped"] is not None:
            plain.append(match["escaped"])
        elif match["bold"] is not None:
            flush()
            out.append(Run(_UNESCAPE.sub(r"\1", match["bold"]), bold=True))
        else:
            flush()
            out.append(Run(_UNESCAPE.sub(r"\1", match["text"]), url=match["url"]))
    plain.append(text[position:])
    flush()
    return [run for run in out if run.text]


def _body_blocks(text: str) -> list[Block]:
    found: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            found.append(Block(0, tuple(runs(" ".join(paragraph)))))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            flush()
            depth = (len(line) - len(stripped)) // 4
            found.append(Block(0, tuple(runs(stripped[2:])), depth=depth))
        elif not stripped:
            flush()
        else:
            paragraph.append(stripped)
    flush()
    return found


def blocks(plan: CityPlan) -> list[Block]:
    """The whole plan as blocks, in order: title, intro, then each section's heading and body,
    and the footer."""
    out = [Block(1, tuple(runs(title(plan)))), *_body_blocks(intro(plan))]
    for section in sections(plan):
        out.append(Block(section.level, tuple(runs(section.title)), anchor=section.anchor))
        out.extend(_body_blocks(section.body))
    out.extend(_body_blocks(footer(plan)))
    return out


def _inline(parts: tuple[Run, ...] | list[Run]) -> str:
    html_parts = []
    for run in parts:
        text = html.escape(run.text, quote=False)
        if run.url:
            text = f'<a href="{html.escape(run.url)}">{text}</a>'
        if run.bold:
            text = f"<strong>{text}</strong>"
        html_parts.append(text)
    return "".join(html_parts)


def _blocks_to_html(found: list[Block]) -> list[str]:
    lines: list[str] = []
    depth = -1  # the depth of the open list item, -1 outside any list
    for block in found:
        if block.depth < 0:
            while depth >= 0:
                lines += ["</li>", "</ul>"]
                depth -= 1
            if block.level:
                anchor = f' id="{html.escape(block.anchor)}"' if block.anchor else ""
                lines.append(f"<h{block.level}{anchor}>{_inline(block.runs)}</h{block.level}>")
            else:
                lines.append(f"<p>{_inline(block.runs)}</p>")
            continue
        if block.depth > depth:
            for _ in range(block.depth - depth):
                lines.append("<ul>")
            depth = block.depth
        else:
            lines.append("</li>")
            while depth > block.depth:
                lines += ["</ul>", "</li>"]
                depth -= 1
        lines.append(f"<li>{_inline(block.runs)}")
    while depth >= 0:
        lines += ["</li>", "</ul>"]
        depth -= 1
    # Close an item on the same line when nothing is nested in it.
    joined: list[str] = []
    for line in lines:
        if line == "</li>" and joined and joined[-1].startswith("<li>"):
            joined[-1] += "</li>"
        else:
            joined.append(line)
    return joined


def markdown_to_html(text: str) -> str:
    """The plan's Markdown (headings aside) as HTML: paragraphs and nested lists."""
    return "\n".join(_blocks_to_html(_body_blocks(text)))


_STYLE = """
:root { color-scheme: light; }
body { font-family: Georgia, "DejaVu Serif", serif; line-height: 1.45; color: #111;
       background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .5rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #555; padding-bottom: .2rem;
     margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.2rem; }
ul { padding-left: 1.3rem; }
li { margin: .15rem 0; }
a { color: #0645ad; }
nav ol { padding-left: 1.3rem; }
section.stage { break-before: page; page-break-before: always; }
section.stage:first-of-type { break-before: auto; page-break-before: auto; }
footer { margin-top: 2rem; border-top: 1px solid #555; font-size: .9rem; }
@media print {
  @page { margin: 18mm 16mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.stage { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li { break-inside: avoid; page-break-inside: avoid; }
  a { color: #000; text-decoration: underline; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; word-break: break-all; }
}
"""


def to_html(plan: CityPlan) -> str:
    """The whole plan as one self-contained HTML document in the plan's language, ready to print:
    one ``<section class="stage">`` a stage, each starting on a new printed page."""
    found = blocks(plan)
    head = found[0]
    body: list[str] = []
    contents = [
        f'<li><a href="#{html.escape(b.anchor)}">{_inline(b.runs)}</a></li>'
        for b in found
        if b.level == 2 and b.anchor
    ]
    body.append(f"<h1>{_inline(head.runs)}</h1>")
    rest = found[1:]
    footer_blocks = _body_blocks(footer(plan))
    main_blocks = rest[: len(rest) - len(footer_blocks)]
    # The intro, up to the first section heading.
    first = next((i for i, b in enumerate(main_blocks) if b.level == 2), len(main_blocks))
    body += _blocks_to_html(main_blocks[:first])
    body.append(f'<nav aria-label="{html.escape(t("plan.contents", plan.lang))}">')
    body.append(f"<h2>{html.escape(t('plan.contents', plan.lang))}</h2>")
    body += ["<ol>", *contents, "</ol>", "</nav>"]
    group: list[Block] = []
    for block in [*main_blocks[first:], None]:
        if block is None or block.level == 2:
            if group:
                kind = "stage" if (group[0].anchor or "").startswith("stage-") else "part"
                body.append(f'<section class="{kind}">')
                body += _blocks_to_html(group)
                body.append("</section>")
            group = [block] if block is not None else []
        else:
            group.append(block)
    body.append("<footer>")
    body += _blocks_to_html(footer_blocks)
    body.append("</footer>")
    page_title = html.escape("".join(r.text for r in head.runs))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{plan.lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{page_title}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
