"""The glossary (``graph_data/vocab/glossary.ttl``) and links to it from any Markdown text.

:func:`glossary` reads the terms in one language; :func:`link_terms` turns the first mention of
each term (or of one of its other names) in a Markdown text into a link to its glossary entry:

>>> sb54 = GlossaryEntry("sb-54", "", "SB 54", ("California Values Act",), "", (), (), (),
...                      None, None)
>>> ice = GlossaryEntry("ice", "", "ICE", ("Immigration and Customs Enforcement",), "", (), (),
...                     (), None, None)
>>> link_terms("SB 54 limits ICE; SB 54 again.", [sb54, ice], lang="es")
'[SB 54](glossary?term=sb-54&lang=es) limits [ICE](glossary?term=ice&lang=es); SB 54 again.'

Abbreviations match only as written (``ICE``, never ``police`` or ``notice`` or ``Ice``), whole
words only, and never inside a Markdown link, an inline code span, an HTML tag or a URL:

>>> link_terms("The police gave notice. Ice.", [ice], lang="en")
'The police gave notice. Ice.'
>>> link_terms("See [ICE](https://ice.gov/) or https://ice.gov/ICE, then ICE.", [ice], lang="en")
'See [ICE](https://ice.gov/) or https://ice.gov/ICE, then [ICE](glossary?term=ice&lang=en).'
>>> link_terms("the california values act", [sb54], lang="en")
'the [california values act](glossary?term=sb-54&lang=en)'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..atlas import Atlas
from .links import node_param
from .sources import find_urls

__all__ = [
    "GlossaryEntry",
    "Related",
    "entry",
    "glossary",
    "link_terms",
    "sort_key",
]

QUERY = "glossary"
GLOSSARY_BASE = "https://w3id.org/pipeline-atlas/id/glossary/"


@dataclass(frozen=True)
class Related:
    """A node of the graph about the same thing as a term: label in the language asked for, the
    page-link parameter (``graph?node=…``) and the IRI."""

    label: str
    node: str
    iri: str


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary term: its ``slug`` (the ``?term=`` parameter), IRI, the ``term`` and its other
    names (``alt_labels``), the ``definition``, the ``related`` nodes, its ``sources`` (citation
    texts) and the http(s) ``links`` they name, how sure (``confidence``, a label) and when it was
    ``last_checked``."""

    slug: str
    iri: str
    term: str
    alt_labels: tuple[str, ...]
    definition: str
    related: tuple[Related, ...]
    sources: tuple[str, ...]
    links: tuple[str, ...]
    confidence: str | None
    last_checked: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """The term and its other names, without repeats."""
        return tuple(dict.fromkeys((self.term, *self.alt_labels)))


def sort_key(text: str) -> str:
    """Alphabetical order ignoring accents and case, with ñ after n (Spanish order).

    >>> sorted(["Ñu", "Nube", "Árbol", "abeja", "Oso"], key=sort_key)
    ['abeja', 'Árbol', 'Nube', 'Ñu', 'Oso']
    """
    folded = text.casefold().replace("ñ", "n\uffff")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def glossary(atlas: Atlas, *, lang: str = "en") -> list[GlossaryEntry]:
    """Every term of the glossary in ``lang``, in that language's alphabetical order."""
    fields: dict[str, dict[str, list[tuple[str, str | None]]]] = {}
    for row in atlas.query(QUERY, params={"lang": lang}, max_rows=None).rows:
        term = str(row["term"])
        value = str(row["value"])
        label = None if row["valueLabel"] is None else str(row["valueLabel"])
        fields.setdefault(term, {}).setdefault(str(row["field"]), []).append((value, label))

    entries: list[GlossaryEntry] = []
    for iri, values in fields.items():
        if "label" not in values:
            continue

        def first(name: str, *, of: dict[str, list[tuple[str, str | None]]] = values) -> str:
            return of[name][0][0] if name in of else ""

        term = first("label")
        sources = tuple(sorted(v for v, _ in values.get("source", [])))
        links = tuple(dict.fromkeys(url for s in sources for url in find_urls(s)))
        confidence = values.get("confidence", [])
        entries.append(
            GlossaryEntry(
                slug=iri.rsplit("/", 1)[-1],
                iri=iri,
                term=term,
                alt_labels=tuple(
                    sorted(
                        {v for v, _ in values.get("alt", []) if v != term},
                        key=sort_key,
                    )
                ),
                definition=first("definition"),
                related=tuple(
                    sorted(
                        (
                            Related(label=label or v, node=node_param(v), iri=v)
                            for v, label in values.get("related", [])
                        ),
                        key=lambda r: sort_key(r.label),
                    )
                ),
                sources=sources,
                links=links,
                confidence=confidence[0][1] if confidence else None,
                last_checked=first("lastChecked") or None,
            )
        )
    entries.sort(key=lambda e: (sort_key(e.term), e.slug))
    return entries


def entry(entries: Iterable[GlossaryEntry], slug: str | None) -> GlossaryEntry | None:
    """The entry whose slug is ``slug`` (``None`` when there is none)."""
    for candidate in entries:
        if candidate.slug == slug:
            return candidate
    return None


# Spans of Markdown that are never rewritten: links and images ([text](url), ![alt](url)),
# reference links ([text][ref]), inline code, HTML links (<a …>…</a>) and other tags,
# autolinks (<https://…>) and bare URLs.
_PROTECTED = re.compile(
    r"<a\b[^>]*>.*?</a\s*>"
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"
    r"|!?\[[^\]\n]*\]\[[^\]\n]*\]"
    r"|`[^`\n]*`"
    r"|<[^>\n]+>"
    r"|(?:https?|ftp)://[^\s)>\]]+"
    r"|www\.[^\s)>\]]+",
    re.IGNORECASE | re.DOTALL,
)

_ABBREVIATION = re.compile(r"[A-Z]{2}")


def _case_sensitive(name: str) -> bool:
    """Names with two capitals in a row (ICE, CDCR, SB 54, TRUTH Act) match only as written."""
    return bool(_ABBREVIATION.search(name))


@lru_cache(maxsize=16)
def _matcher(
    names: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """One regular expression for every (slug, name), longest names first, and where a match
    leads: exact text → slug for abbreviations, folded text → slug for the others."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    parts: list[str] = []
    for slug, name in sorted(names, key=lambda n: (-len(n[1]), n[1])):
        if not name.strip():
            continue
        body = r"\s+".join(re.escape(word) for word in name.split())
        if _case_sensitive(name):
            exact.setdefault(name, slug)
            parts.append(body)
        else:
            folded.setdefault(name.casefold(), slug)
            parts.append(f"(?i:{body})")
    if not parts:
        return re.compile(r"(?!)"), exact, folded
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
    return pattern, exact, folded


def link_terms(
    markdown: str,
    entries: Sequence[GlossaryEntry],
    *,
    lang: str,
    page: str = "glossary",
) -> str:
    """``markdown`` with the first mention of each glossary term (its name or another name) made
    a link ``[text](page?term=slug&lang=lang)``; the text itself is kept as written."""
    if not markdown or not entries:
        return markdown
    names = tuple((e.slug, name) for e in entries for name in e.names)
    pattern, exact, folded = _matcher(names)
    linked: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        normal = " ".join(text.split())
        slug = exact.get(normal) or folded.get(normal.casefold())
        if slug is None or slug in linked:
            return text
        linked.add(slug)
        return f"[{text}]({page}?term={slug}&lang={lang})"

    out: list[str] = []
    position = 0
    for protected in _PROTECTED.finditer(markdown):
        out.append(pattern.sub(replace, markdown[position : protected.start()]))
        out.append(protected.group(0))
        position = protected.end()
    out.append(pattern.sub(replace, markdown[position:]))
    return "".join(out)
