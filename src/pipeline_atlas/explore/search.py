"""Find your place: one search over every place, county, unincorporated community, stage, body,
office, action, law, program, flow and agreement of the graph, by name or definition, in English
or Spanish, forgiving accents, case, punctuation and small typos.

The names come from one catalogue query (``queries/lookup/search-index.rq``, its only parameter
the language); :func:`index` arranges them once per atlas and language, and :func:`search` ranks
the entries for a person's text: an exact name first, then a name that starts with the text, then
one whose words start with the text's words, then a close spelling, then a definition that holds
every word. Among equals a place comes before anything else, a city before a county, and a
shorter name first. The text never reaches a query: it is only compared with the index.

>>> normalize("  San José ")
'san jose'
>>> normalize("Saint Helena") == normalize("St. Helena")
True
>>> normalize("La Cañada Flintridge")
'la canada flintridge'
>>> normalize("Sheriff's Department & Police")
'sheriffs department and police'
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import LANGUAGES, t
from ..results import Value
from .links import node_param

__all__ = [
    "KINDS",
    "MATCHES",
    "Entry",
    "Hit",
    "HitGroup",
    "Index",
    "Results",
    "arrival_note",
    "best",
    "caption",
    "index",
    "normalize",
    "results",
    "search",
]

INDEX_QUERY = "search-index"
JURISDICTION = "https://w3id.org/pipeline-atlas/id/jurisdiction/"
COMMUNITY = "https://w3id.org/pipeline-atlas/id/community/"

Match: TypeAlias = Literal["exact", "prefix", "contains", "fuzzy", "definition"]
MATCHES: tuple[Match, ...] = ("exact", "prefix", "contains", "fuzzy", "definition")
"""How a hit matched, best first."""

Page: TypeAlias = Literal["place", "pipeline", "graph"]

KINDS: tuple[str, ...] = (
    "place",
    "community",
    "county",
    "stage",
    "body",
    "office",
    "action",
    "law",
    "program",
    "flow",
    "agreement",
)
"""The kinds of what can be found, in the order hits of equal match are ranked (places first)."""
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_KIND_KEYS = {
    "place": "ui.search.kind.place",
    "community": "ui.search.kind.community",
    "county": "ui.search.kind.county",
    "stage": "ui.search.kind.stage",
    "body": "ui.search.kind.body",
    "office": "ui.search.kind.office",
    "action": "ui.search.kind.action",
    "law": "ui.search.kind.law",
    "program": "ui.search.kind.program",
    "flow": "ui.search.kind.flow",
    "agreement": "ui.search.kind.agreement",
}
_MATCH_KEYS = {
    "exact": "ui.search.match.exact",
    "prefix": "ui.search.match.prefix",
    "contains": "ui.search.match.contains",
    "fuzzy": "ui.search.match.fuzzy",
    "definition": "ui.search.match.definition",
}

FUZZY_CUTOFF = 0.8
"""How close a misspelt word must be to a word of a name (``difflib`` ratio) to count."""
SNIPPET = 140
"""The longest definition shown as a hit's detail, in characters."""


@dataclass(frozen=True)
class Hit:
    """One thing found: what it is, its name and a detail in the reader's language, how it
    matched, and the view it opens (``page`` with ``params``, the page link's parameters).

    ``note`` says, for an unincorporated community, that it is no city and where it belongs.
    """

    kind: str
    iri: str
    label: str
    detail: str | None
    match: Match
    score: float
    page: Page
    params: tuple[tuple[str, str], ...]
    note: str | None = None


@dataclass(frozen=True)
class Entry:
    """One searchable node: its names and definitions (both languages) normalized, and what a
    hit for it shows and opens."""

    iri: str
    kind: str
    label: str
    detail: str | None
    names: tuple[str, ...]
    words: frozenset[str]
    definitions: tuple[frozenset[str], ...]
    page: Page
    params: tuple[tuple[str, str], ...]
    note: str | None = None
    slug: str | None = None


@dataclass(frozen=True)
class Index:
    """Every searchable node of an atlas, with texts for language ``lang``."""

    lang: str
    entries: tuple[Entry, ...]
    vocabulary: frozenset[str]
    definition_vocabulary: frozenset[str]


@dataclass(frozen=True)
class HitGroup:
    """The hits of one kind, under a heading in the reader's language."""

    kind: str
    title: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Results:
    """What the search page shows for a text: the hits grouped by kind (in rank order of their
    best hit), and, when nothing was found, names close to the text."""

    text: str
    groups: tuple[HitGroup, ...]
    suggestions: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many hits in all."""
        return sum(len(g.hits) for g in self.groups)


#################################################################
# Normalizing text
#################################################################

_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[\W_]+")
_SYNONYMS = {"saint": "st"}


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed, "Saint" written "St"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.casefold().replace("&", " and "))
    words = _NOT_WORD.sub(" ", plain).split()
    return " ".join(_SYNONYMS.get(w, w) for w in words)


#################################################################
# The index
#################################################################


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ParameterError(
            f"language {lang!r} is not one of {', '.join(LANGUAGES)}", param="lang"
        )


def _snippet(text: str | None) -> str | None:
    if not text:
        return None
    if len(text) <= SNIPPET:
        return text
    cut = text[:SNIPPET].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _pick(texts: Mapping[str, list[str]], lang: str) -> str | None:
    """The text in ``lang``; failing that, one with no language tag; else none."""
    for key in (lang, ""):
        if texts.get(key):
            return sorted(texts[key])[0]
    return None


def index(atlas: Atlas, *, lang: str = "en") -> Index:
    """Every searchable node of ``atlas``, labels and details in ``lang`` (one catalogue query).

    The index is the same for every reader of a language: build it once (the explorer caches it
    with ``state.cached``; :func:`search` keeps one per atlas and language).
    """
    _check_lang(lang)
    rows = atlas.query(INDEX_QUERY, params={"lang": lang}, max_rows=None).rows
    return _build(rows, lang=lang)


def _build(rows: Iterable[Mapping[str, Value]], *, lang: str) -> Index:
    nodes: dict[str, dict[str, dict[str, list[str]]]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        node, kind = str(row["node"]), str(row["kind"])
        # A node of two kinds (San Francisco, city and county) is found as the better ranked one.
        if node not in kinds or _KIND_RANK[kind] < _KIND_RANK[kinds[node]]:
            kinds[node] = kind
        field = nodes.setdefault(node, {}).setdefault(str(row["field"]), {})
        field.setdefault(str(row.get("language") or ""), []).append(str(row["text"]))
    made = (_entry(node, kinds[node], fields, lang=lang) for node, fields in nodes.items())
    entries = [e for e in made if e is not None]
    vocabulary = frozenset(w for e in entries for w in e.words)
    definition_vocabulary = frozenset(w for e in entries for d in e.definitions for w in d)
    ordered = tuple(sorted(entries, key=lambda e: e.iri))
    return Index(lang, ordered, vocabulary, definition_vocabulary)


_PARENTHESIS = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def _names_in(text: str) -> tuple[str, ...]:
    """A label and the names it holds: "California Values Act (SB 54)" is also "California Values
    Act" and "SB 54", so that either, typed whole, is an exact match.

    >>> _names_in("TRUTH Act (AB 2792)")
    ('TRUTH Act (AB 2792)', 'TRUTH Act', 'AB 2792')
    >>> _names_in("ICE field office, area of responsibility SND (San Diego)")[2:]
    ()
    >>> _names_in("Oakland")
    ('Oakland',)
    """
    found = _PARENTHESIS.match(text)
    if not found:
        return (text,)
    inside = found.group(2)
    # "(SB 54)", "(ICE)", "(AB 2792)": a short name; "(Los Angeles)" in an ICE office's label is not
    # the office's name, and must not rank it with the city.
    short = any(c.isdigit() for c in inside) or inside.replace(" ", "").isupper()
    return (text, found.group(1), inside) if short else (text, found.group(1))


def _entry(
    node: str, kind: str, fields: Mapping[str, Mapping[str, list[str]]], *, lang: str
) -> Entry | None:
    labels = fields.get("label", {})
    label = _pick(labels, lang) or _pick(labels, "en")
    if label is None:
        return None
    names = tuple(
        dict.fromkeys(
            normalize(name)
            for field in ("label", "alt")
            for texts in fields.get(field, {}).values()
            for text in texts
            for name in _names_in(text)
        )
    )
    words = frozenset(w for name in names for w in name.split())
    definitions = tuple(
        frozenset(normalize(text).split())
        for texts in fields.get("definition", {}).values()
        for text in texts
    )
    definition = _pick(fields.get("definition", {}), lang)
    county = _pick(fields.get("county", {}), lang)
    page: Page = "graph"
    params: tuple[tuple[str, str], ...] = (("node", node_param(node)),)
    detail = _snippet(definition)
    note = slug = None
    if kind == "place":
        slug = node.removeprefix(JURISDICTION)
        page, params = "place", (("place", slug),)
        # San Francisco is its own county.
        detail = t("plan.city_and_county", lang, city=label) if county == label else county
    elif kind == "community":
        slug = node.removeprefix(COMMUNITY)
        area = _pick(fields.get("area", {}), lang)
        if area is None or county is None:
            return None
        page = "place"
        params = (("place", area.removeprefix(JURISDICTION)), ("from", slug))
        detail = county
        note = t("ui.search.community_note", lang, community=label, county=county)
    elif kind == "stage":
        order = _pick(fields.get("order", {}), lang)
        if order is not None:
            page, params = "pipeline", (("stage", order),)
    return Entry(node, kind, label, detail, names, words, definitions, page, params, note, slug)


# One index per atlas and language, kept as long as the atlas lives.
_INDEXES: weakref.WeakKeyDictionary[Atlas, dict[str, Index]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _index_for(atlas: Atlas, lang: str) -> Index:
    with _LOCK:
        found = _INDEXES.get(atlas, {}).get(lang)
    if found is None:
        found = index(atlas, lang=lang)
        with _LOCK:
            _INDEXES.setdefault(atlas, {})[lang] = found
    return found


#################################################################
# Matching and ranking
#################################################################


def _close_words(words: Sequence[str], vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
    """For each word of the text (three letters or more), the words of the index spelt like it."""
    close: dict[str, frozenset[str]] = {}
    for word in words:
        if len(word) < 3 or word in close:
            continue
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(word)
        found = set()
        for candidate in vocabulary:
            matcher.set_seq1(candidate)
            if (
                matcher.real_quick_ratio() >= FUZZY_CUTOFF
                and matcher.quick_ratio() >= FUZZY_CUTOFF
                and matcher.ratio() >= FUZZY_CUTOFF
            ):
                found.add(candidate)
        close[word] = frozenset(found)
    return close


@dataclass(frozen=True)
class _Query:
    """A person's text, normalized, with the words of the index each of its words can stand for:
    the words it starts (``prefixes``), the words spelt like it (``close``), and the definitions'
    words it starts (``definition_prefixes``, for the last word, still being typed)."""

    text: str
    words: tuple[str, ...]
    prefixes: tuple[frozenset[str], ...]
    close: tuple[frozenset[str], ...]
    definition_prefixes: frozenset[str]


def _query(idx: Index, text: str) -> _Query:
    words = tuple(text.split())
    prefixes = tuple(frozenset(v for v in idx.vocabulary if v.startswith(w)) for w in words)
    close_words = _close_words(words, idx.vocabulary)
    close = tuple(close_words.get(w, frozenset()) for w in words)
    last = words[-1]
    definition_prefixes = frozenset(v for v in idx.definition_vocabulary if v.startswith(last))
    return _Query(text, words, prefixes, close, definition_prefixes)


def _match(entry: Entry, query: _Query) -> tuple[int, float] | None:
    """The best way ``entry`` matches (index into MATCHES) and a closeness in [0, 1]."""
    text = query.text
    best: tuple[int, float] | None = None
    for name in entry.names:
        if name == text:
            return 0, 1.0
        if name.startswith(text):
            found = (1, -len(text) / len(name))
        elif text in name:
            found = (2, -len(text) / len(name))
        else:
            continue
        if best is None or found < best:
            best = found
    if best is not None:
        return best[0], -best[1]
    words = entry.words
    if all(p & words for p in query.prefixes):
        return 2, len(text) / max(len(n) for n in entry.names)
    if any(c & words for c in query.close) and all(
        (p & words) or (c & words) for p, c in zip(query.prefixes, query.close, strict=True)
    ):
        ratio = max(difflib.SequenceMatcher(None, text, name).ratio() for name in entry.names)
        return 3, ratio
    if len(text) >= 3 and entry.definitions:
        whole = query.words[:-1]
        for definition in entry.definitions:
            if query.definition_prefixes & definition and all(w in definition for w in whole):
                return 4, 0.0
    return None


_MATCH_SCORE = {0: 1.0, 1: 0.9, 2: 0.8, 3: 0.7, 4: 0.5}


def _rank(
    idx: Index, text: str
) -> list[tuple[tuple[int, float, int, int, str, str], Entry, int, float]]:
    query = normalize(text)
    if not query:
        return []
    prepared = _query(idx, query)
    ranked: list[tuple[tuple[int, float, int, int, str, str], Entry, int, float]] = []
    for entry in idx.entries:
        found = _match(entry, prepared)
        if found is None:
            continue
        level, closeness = found
        key = (level, -closeness if level == 3 else 0.0, _KIND_RANK[entry.kind])
        ranked.append(((*key, len(entry.label), entry.label.casefold(), entry.iri), entry, *found))
    ranked.sort(key=lambda r: r[0])
    return ranked


def _hit(entry: Entry, level: int, closeness: float) -> Hit:
    score = round(_MATCH_SCORE[level] + (closeness * 0.1 if level < 4 else 0.0), 4)
    return Hit(
        entry.kind,
        entry.iri,
        entry.label,
        entry.detail,
        MATCHES[level],
        score,
        entry.page,
        entry.params,
        entry.note,
    )


def search(atlas: Atlas, text: str, *, lang: str = "en", limit: int = 20) -> list[Hit]:
    """What ``text`` names, best first, at most ``limit`` hits (labels and details in ``lang``).

    >>> from pipeline_atlas import Atlas
    >>> hits = search(Atlas.build(reason=False), "fresno")
    >>> [(h.label, h.kind, h.match, h.params) for h in hits[:1]]
    [('Fresno', 'place', 'exact', (('place', 'fresno'),))]
    >>> best(hits).label, [h.label for h in hits[1:3]]
    ('Fresno', ['Fresno County, unincorporated areas', 'Fresno County'])
    """
    _check_lang(lang)
    ranked = _rank(_index_for(atlas, lang), text)
    return [_hit(entry, level, closeness) for _, entry, level, closeness in ranked[:limit]]


def best(hits: Sequence[Hit]) -> Hit | None:
    """The hit that pressing Enter opens: the first when it is an exact match or the only hit;
    otherwise none (the list is shown).

    >>> h = Hit("place", "x", "Fresno", None, "exact", 1.0, "place", (("place", "fresno"),))
    >>> best([h]) is h, best([]) is None
    (True, True)
    """
    if not hits:
        return None
    if hits[0].match == "exact" or len(hits) == 1:
        return hits[0]
    return None


def caption(hit: Hit, *, lang: str = "en") -> str:
    """The line under a hit on the search page: its detail, its note and how it matched.

    >>> h = Hit("place", "x", "Fresno", "Fresno County", "exact", 1.0, "place", ())
    >>> caption(h, lang="es")
    'Fresno County · coincide por nombre'
    """
    parts = [part for part in (hit.detail, hit.note) if part]
    parts.append(t("ui.search.matched", lang, match=t(_MATCH_KEYS[hit.match], lang)))
    return " · ".join(parts)


def arrival_note(atlas: Atlas, from_slug: str, *, lang: str = "en") -> str | None:
    """The note a place page shows when opened from an unincorporated community (the page
    link's ``from`` parameter, e.g. ``east-los-angeles``): that it is no city and where it
    belongs. ``None`` for a slug that is no community of the graph."""
    _check_lang(lang)
    wanted = from_slug.strip()
    for entry in _index_for(atlas, lang).entries:
        if entry.kind == "community" and entry.slug == wanted:
            return entry.note
    return None


def results(atlas: Atlas, text: str, *, lang: str = "en", limit: int = 50) -> Results:
    """The search page's content for ``text``: the hits grouped by kind, and names close to the
    text when nothing was found."""
    hits = search(atlas, text, lang=lang, limit=limit)
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    grouped = tuple(
        HitGroup(kind, t(_KIND_KEYS[kind], lang), tuple(found)) for kind, found in groups.items()
    )
    suggestions: tuple[str, ...] = ()
    if not hits and normalize(text):
        idx = _index_for(atlas, lang)
        labels = {normalize(e.label): e.label for e in idx.entries if e.kind in ("place", "county")}
        close = difflib.get_close_matches(normalize(text), list(labels), n=5, cutoff=0.6)
        suggestions = tuple(labels[c] for c in close)
    return Results(text, grouped, suggestions)
