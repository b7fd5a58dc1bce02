"""The sources page's data: every source the graph cites, what each supports, how sure and when it
was last checked; the dataset's description; the whole graph as a download.

A *source* is a ``dcterms:source`` value (a citation text, which often names URLs, or an IRI) or a
source document whose passages nodes are derived from (``prov:wasDerivedFrom``). Links are only
the http(s) URLs a source itself names (or a document's ``dcat:landingPage``): a citation such as
"Pipeline Atlas domain brief, item 20" gets no link, never a guessed one.

>>> find_urls("Press, https://e.org/a.html; ABC (https://abc.com/x/), read 2026-12-01.")
('https://e.org/a.html', 'https://abc.com/x/')
>>> find_urls("Pipeline Atlas domain brief, item 20")
()
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import metadata

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import t
from .links import node_param

__all__ = [
    "DatasetInfo",
    "SourceEntry",
    "Support",
    "dataset_info",
    "filter_sources",
    "find_urls",
    "graph_download",
    "source_rows",
    "sources",
]

CITED = "sources-cited"
DOCUMENTS = "sources-documents"
DATASET = "sources-dataset"

_URL = re.compile(r"https?://[^\s<>\"'\]]+")
_TRAILING = ".,;:)]'\""


def find_urls(text: str) -> tuple[str, ...]:
    """The http(s) URLs written in ``text``, in order, without repeats or trailing punctuation."""
    found: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if url not in found:
            found.append(url)
    return tuple(found)


@dataclass(frozen=True)
class Support:
    """A node that cites a source: its IRI, label, page-link parameter (``graph?node=…``), how
    sure it is (label in the language asked for, or ``None``) and when it was last checked."""

    iri: str
    label: str
    node: str
    confidence: str | None
    last_checked: str | None


@dataclass(frozen=True)
class SourceEntry:
    """One source: ``key`` (short and stable, for links and widget keys), ``text`` (the citation,
    or a document's label), ``links`` (its http(s) URLs; empty means no link), ``iri`` (when the
    source is a node), whether it is the source document, the nodes it ``supports``, how sure
    those are (``confidence``, distinct labels) and ``last_checked`` (the latest of their dates)."""

    key: str
    text: str
    links: tuple[str, ...]
    iri: str | None
    document: bool
    supports: tuple[Support, ...]
    confidence: tuple[str, ...]
    last_checked: str | None

    @property
    def has_link(self) -> bool:
        """Whether the source names at least one http(s) URL."""
        return bool(self.links)


@dataclass(frozen=True)
class DatasetInfo:
    """The dataset's title, description, licence (URL), rights, version, issued and modified
    dates (``None`` where ``graph_data/dataset.ttl`` does not say), the latest day any fact was
    checked, and the release of Pipeline Atlas that built the graph."""

    iri: str
    title: str
    description: str
    license: str | None
    rights: str | None
    version: str | None
    issued: str | None
    modified: str | None
    latest_check: str | None
    release: str


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def sources(atlas: Atlas, *, lang: str = "en") -> list[SourceEntry]:
    """Every source the graph cites, the source document first, then the others by the number of
    nodes they support (most first) and their text; labels in ``lang``."""
    documents: dict[str, dict[str, object]] = {}
    confidence_labels: dict[str, str] = {}
    for row in atlas.query(DOCUMENTS, params={"lang": lang}, max_rows=None).rows:
        if row["kind"] == "confidence":
            confidence_labels[str(row["node"])] = str(row["label"])
        else:
            documents[str(row["node"])] = dict(row)

    grouped: dict[str, tuple[bool, dict[str, Support]]] = {}
    for row in atlas.query(CITED, params={"lang": lang}, max_rows=None).rows:
        source = str(row["source"])
        _document, supports = grouped.setdefault(source, (bool(row["document"]), {}))
        iri = str(row["node"])
        if iri in supports:
            continue
        confidence = _str(row["confidence"])
        supports[iri] = Support(
            iri=iri,
            label=str(row["nodeLabel"]),
            node=node_param(iri),
            confidence=confidence_labels.get(confidence) if confidence else None,
            last_checked=_str(row["lastChecked"]),
        )
        if row["document"]:
            grouped[source] = (True, supports)

    entries: list[SourceEntry] = []
    for source, (is_document, supports) in grouped.items():
        described = documents.get(source)
        is_iri = source.startswith(("http://", "https://")) and " " not in source
        if described is not None:
            text = str(described["label"])
            page = _str(described.get("landingPage"))
            links: tuple[str, ...] = (page,) if page else ()
        else:
            text = source
            links = (source,) if is_iri else find_urls(source)
        nodes = tuple(sorted(supports.values(), key=lambda s: (s.label.casefold(), s.iri)))
        dates = [s.last_checked for s in nodes if s.last_checked]
        if described is not None and described.get("lastChecked"):
            dates.append(str(described["lastChecked"]))
        levels = tuple(dict.fromkeys(s.confidence for s in nodes if s.confidence))
        entries.append(
            SourceEntry(
                key=_key(source),
                text=text,
                links=links,
                iri=source if is_iri else None,
                document=is_document or described is not None,
                supports=nodes,
                confidence=levels,
                last_checked=max(dates) if dates else None,
            )
        )
    entries.sort(key=lambda e: (not e.document, -len(e.supports), e.text.casefold()))
    return entries


def filter_sources(entries: list[SourceEntry], text: str) -> list[SourceEntry]:
    """The entries whose citation, links or supported nodes' labels contain ``text`` (ignoring
    case); all of them for empty text.

    >>> e = SourceEntry("k", "SB 54 text", (), None, False, (), (), None)
    >>> [x.key for x in filter_sources([e], "sb 54")], filter_sources([e], "ICE")
    (['k'], [])
    """
    needle = text.strip().casefold()
    if not needle:
        return list(entries)
    return [
        e
        for e in entries
        if needle in e.text.casefold()
        or any(needle in link.casefold() for link in e.links)
        or any(needle in s.label.casefold() for s in e.supports)
    ]


def dataset_info(atlas: Atlas, *, lang: str = "en") -> DatasetInfo:
    """The dataset's description (``graph_data/dataset.ttl``) in ``lang``."""
    rows = atlas.query(DATASET, params={"lang": lang}, max_rows=None).rows
    if not rows:
        raise ParameterError(f"the graph has no dcat:Dataset titled in {lang!r}")
    row = rows[0]
    try:
        release = metadata.version("pipeline-atlas")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree not installed
        release = "unknown"
    return DatasetInfo(
        iri=str(row["dataset"]),
        title=str(row["title"]),
        description=str(row["description"]),
        license=_str(row["license"]),
        rights=_str(row["rights"]),
        version=_str(row["version"]),
        issued=_str(row["issued"]),
        modified=_str(row["modified"]),
        latest_check=_str(row["latestCheck"]),
        release=release,
    )


_FORMATS = {"trig": "TRIG", "nquads": "N_QUADS"}


def graph_download(atlas: Atlas, *, fmt: str = "trig") -> bytes:
    """The whole graph, every named graph kept, as TriG (``fmt="trig"``) or N-Quads
    (``"nquads"``), from the store's own dump (an embedded store; a remote one has none)."""
    import pyoxigraph as ox

    if fmt not in _FORMATS:
        raise ParameterError(f"unknown graph format {fmt!r}: use one of {', '.join(_FORMATS)}")
    dump = getattr(atlas.store, "dump_nquads", None)
    if dump is None:
        raise ParameterError(f"the store ({atlas.store.describe()}) cannot export the whole graph")
    nquads: bytes = dump()
    if fmt == "nquads":
        return nquads
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    from ..namespaces import PREFIXES

    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))
    return data or b""


def source_rows(entries: list[SourceEntry], *, lang: str = "en") -> list[dict[str, object]]:
    """One table row per source, with column names in ``lang``: the citation, its first link (or
    "no link"), how many facts it supports, one of them for example, how sure, last checked."""
    return [
        {
            t("ui.sources.column.source", lang): e.text,
            t("ui.sources.column.link", lang): e.links[0]
            if e.links
            else t("ui.sources.no_link", lang),
            t("ui.sources.column.supports", lang): len(e.supports),
            t("ui.sources.column.example", lang): e.supports[0].label if e.supports else "",
            t("ui.sources.how_sure", lang): ", ".join(e.confidence),
            t("ui.sources.last_checked", lang): e.last_checked or "",
        }
        for e in entries
    ]
