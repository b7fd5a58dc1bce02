"""Explore the graph: a node's own page, and the readable neighbourhood around it as a figure.

:func:`node_page` gathers what the graph's source files say about one node (its labels, types,
definition, notes, sources, how sure the project is and when it last checked, the source passage
it derives from, and its links in both directions); :func:`neighbourhood` lays out the nodes around
a centre (and around the nodes a reader expanded by clicking), :func:`neighbourhood_chart` draws
them as a Vega-Lite spec and :func:`neighbourhood_text` says the same in words. Every answer comes
from the catalogue queries ``node-statements``, ``node-passages`` and ``node-label`` (in
``queries/lookup/``) with the node bound as an IRI parameter.

Labels are in the reader's language; where a node has none in it, the other language's label is
shown with a marker (``fallback``), and a node with no label at all shows its short id.

>>> kind_of("https://w3id.org/pipeline-atlas/id/body/ice"), kind_of("http://example.org/x")
('body', 'other')
>>> expanded_from_param("id/body/ice, id/stage/police-stop,,")
('https://w3id.org/pipeline-atlas/id/body/ice', 'https://w3id.org/pipeline-atlas/id/stage/police-stop')
>>> expanded_param(expanded_from_param("id/body/ice,id/body/fbi"))
'id/body/ice,id/body/fbi'
>>> short_label("Pass an ordinance barring city departments from cooperating", 24)
'Pass an ordinance barrin…'
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import LANGUAGES, messages, t
from ..namespaces import PREFIXES
from ..results import Value
from .links import BASE, node_iri, node_param

__all__ = [
    "ENTRY_POINTS",
    "KINDS",
    "GraphEdge",
    "GraphNode",
    "Link",
    "Neighbourhood",
    "NodePage",
    "NodeRef",
    "Passage",
    "Source",
    "after_click",
    "entry_points",
    "expanded_from_param",
    "expanded_param",
    "kind_of",
    "neighbourhood",
    "neighbourhood_chart",
    "neighbourhood_text",
    "node_label",
    "node_page",
    "property_label",
    "selected_node",
    "short_label",
]

STATEMENTS = "node-statements"
PASSAGES = "node-passages"
LABEL = "node-label"
STAGES = "cq-001-stages-in-order"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_PA = BASE + "ont/"
TYPE = _RDF + "type"
LABEL_PROPERTY = _RDFS + "label"
DEFINITION = _SKOS + "definition"
NOTES = (_SKOS + "scopeNote", _SKOS + "note", _SKOS + "editorialNote", _RDFS + "comment")
SOURCES = (_DCT + "bibliographicCitation", _DCT + "source", "http://www.w3.org/ns/dcat#landingPage")
CONFIDENCE = _PA + "confidence"
LAST_CHECKED = _PA + "lastChecked"
AS_OF = _PA + "asOf"

KINDS: tuple[str, ...] = (
    "stage",
    "action",
    "body",
    "office",
    "flow",
    "instrument",
    "program",
    "jurisdiction",
    "agreement",
    "proceeding",
    "passage",
    "source",
    "vocab",
    "geometry",
    "ontology",
    "other",
)
"""What a node is, from its IRI (``id/KIND/…``; ``ont/…`` is the ontology; anything else is
``other``), for the figure's colours and legend (messages ``ui.graph.kind.<kind>``)."""

ENTRY_POINTS: tuple[str, ...] = (
    BASE + "id/office/governor-of-california",
    BASE + "id/body/ice",
    BASE + "id/instrument/california-values-act",
    BASE + "id/instrument/secure-communities",
    BASE + "id/body/city-council",
    BASE + "id/body/county-board-of-supervisors",
)
"""Where to start exploring, after the four stages (:func:`entry_points`)."""

Direction: TypeAlias = Literal["out", "in"]

_URL = re.compile(r"https?://[^\s<>\"'()]+[^\s<>\"'().,;:]")


@dataclass(frozen=True)
class NodeRef:
    """A node as a link: its IRI, its short id for a page link (``param``), its label in the
    language asked for and, when that language has none, ``fallback``: the language of the label
    shown instead (or ``"id"`` when the node has no label and its short id is shown)."""

    iri: str
    label: str
    fallback: str | None = None

    @property
    def param(self) -> str:
        """The short id for ``?node=`` (:func:`~pipeline_atlas.explore.links.node_param`)."""
        return node_param(self.iri)

    def text(self, lang: str) -> str:
        """The label with its marker when it is not in ``lang``.

        >>> NodeRef("x", "County sheriff", "en").text("es")
        'County sheriff (en inglés)'
        >>> NodeRef("x", "Alto").text("es")
        'Alto'
        """
        if self.fallback is None:
            return self.label
        if self.fallback == "id":
            return t("ui.graph.no_label", lang, id=self.label)
        return t(f"ui.graph.in_language.{self.fallback}", lang, label=self.label)


@dataclass(frozen=True)
class Source:
    """One source of a node: the citation as the graph gives it and the web addresses in it."""

    text: str
    urls: tuple[str, ...] = ()

    def markdown(self) -> str:
        """The citation for Markdown, each web address in it a link.

        >>> Source("Read at https://example.org/a (2026).", ("https://example.org/a",)).markdown()
        'Read at <https://example.org/a> (2026).'
        """
        return _URL.sub(lambda m: f"<{m.group(0)}>", self.text)


@dataclass(frozen=True)
class Passage:
    """A passage of the source document: the English quotation and the project's unofficial
    Spanish translation (``None`` if there is none)."""

    iri: str
    label: str
    quotation: str
    translation: str | None


@dataclass(frozen=True)
class Link:
    """One link of a node: ``out`` (node → other) or ``in`` (other → node), with the property's
    IRI and label in the page's language (its short name when it has no label)."""

    direction: Direction
    property: str
    property_label: str
    node: NodeRef


@dataclass(frozen=True)
class NodePage:
    """What a node's page shows, in ``lang``. ``label`` is the title (with :meth:`NodeRef.text`
    for its marker); ``label_en``/``label_es`` are the graph's labels (``None`` if missing);
    ``definition`` and ``notes`` are in ``lang`` (or, marked by ``text_fallback``, in the other
    language when ``lang`` has none); ``more_outgoing``/``more_incoming`` count the links left
    out by the limit; ``files`` are the source files that say something about the node."""

    iri: str
    lang: str
    title: NodeRef
    label_en: str | None
    label_es: str | None
    kind: str
    types: tuple[NodeRef, ...]
    definition: str | None
    notes: tuple[str, ...]
    text_fallback: str | None
    sources: tuple[Source, ...]
    confidence: NodeRef | None
    last_checked: str | None
    as_of: str | None
    passages: tuple[Passage, ...]
    outgoing: tuple[Link, ...]
    incoming: tuple[Link, ...]
    more_outgoing: int
    more_incoming: int
    files: tuple[str, ...]

    @property
    def param(self) -> str:
        """The short id for ``?node=``."""
        return node_param(self.iri)


@dataclass(frozen=True)
class GraphNode:
    """A node of the figure: where it is drawn (``x``, ``y``), what it is (``kind``, its label
    ``kind_label`` in the figure's language), and whether it is the centre or was expanded."""

    iri: str
    label: str
    kind: str
    kind_label: str
    x: float
    y: float
    is_center: bool = False
    is_expanded: bool = False


@dataclass(frozen=True)
class GraphEdge:
    """A link drawn in the figure, from ``source`` to ``target`` (IRIs), with the property's
    label."""

    source: str
    target: str
    property: str
    label: str


@dataclass(frozen=True)
class Neighbourhood:
    """The nodes around ``center`` (and around each node of ``expanded``) that fit in ``limit``,
    laid out; ``hidden`` counts the neighbours left out."""

    center: str
    lang: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    expanded: tuple[str, ...]
    hidden: int
    limit: int

    @property
    def key(self) -> str:
        """A short name for this view (centre and expanded nodes), for a widget key: a new
        view is a new chart, so a click is read once."""
        text = "\n".join((self.center, *self.expanded))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    def node(self, iri: str) -> GraphNode | None:
        """The drawn node ``iri``, if it is drawn."""
        return next((n for n in self.nodes if n.iri == iri), None)


# -- small helpers ---------------------------------------------------------------------------


def kind_of(iri: str) -> str:
    """What a node is, from its IRI: one of :data:`KINDS`."""
    if iri.startswith(BASE + "ont/"):
        return "ontology"
    if iri.startswith(BASE + "id/"):
        kind = iri[len(BASE) + 3 :].partition("/")[0]
        return kind if kind in KINDS else "other"
    return "other"


def short_name(iri: str) -> str:
    """A property or node IRI shortened with the project's prefixes (``skos:definition``).

    >>> short_name("http://www.w3.org/2004/02/skos/core#definition")
    'skos:definition'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def property_label(iri: str, lang: str) -> str:
    """The label of a property the graph does not label (from an outside vocabulary): its
    message ``ui.graph.property.PREFIX.NAME`` when there is one, else its short name.

    >>> property_label("http://www.w3.org/ns/prov#wasDerivedFrom", "es")
    'procede de'
    >>> property_label("http://www.w3.org/ns/shacl#path", "es")
    'sh:path'
    """
    name = short_name(iri)
    key = "ui.graph.property." + name.replace(":", ".", 1)
    return t(key, lang) if key in _property_keys() else name


@functools.cache
def _property_keys() -> frozenset[str]:
    return frozenset(k for k in messages() if k.startswith("ui.graph.property."))


def short_label(label: str, width: int = 28) -> str:
    """``label`` cut to ``width`` characters with an ellipsis, for the figure."""
    return label if len(label) <= width else label[:width].rstrip() + "…"


def expanded_from_param(text: str | None) -> tuple[str, ...]:
    """The expanded nodes of a page link's ``expand`` (short ids separated by commas), as IRIs,
    in order, without repeats; raises ``ParameterError`` for a value that is not a node."""
    found: list[str] = []
    for part in (text or "").split(","):
        if part.strip():
            iri = node_iri(part)
            if iri not in found:
                found.append(iri)
    return tuple(found)


def expanded_param(expanded: Iterable[str]) -> str | None:
    """The page link's ``expand`` value for ``expanded`` (``None`` when there is none)."""
    text = ",".join(node_param(iri) for iri in expanded)
    return text or None


def _iri(node: str) -> str:
    return node if node.startswith(("http://", "https://")) else node_iri(node)


def _other(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)


def _pick_label(labels: Mapping[str, str], iri: str, lang: str) -> NodeRef:
    if lang in labels:
        return NodeRef(iri, labels[lang])
    other = _other(lang)
    if other in labels:
        return NodeRef(iri, labels[other], other)
    if labels:
        code, text = sorted(labels.items())[0]
        return NodeRef(iri, text, code if code in LANGUAGES else "id")
    return NodeRef(iri, node_param(iri), "id")


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ParameterError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")


@dataclass(frozen=True)
class _Statements:
    literals: tuple[tuple[str, str, str], ...]  # property, value, language
    links: tuple[Link, ...]
    files: tuple[str, ...]


def _statements(atlas: Atlas, iri: str, lang: str) -> _Statements:
    rows = atlas.query(STATEMENTS, params={"node": iri, "lang": lang}, max_rows=None).rows
    literals: dict[tuple[str, str, str], None] = {}
    labels: dict[tuple[str, str, str], dict[str, str]] = {}
    property_labels: dict[str, str] = {}
    graphs: dict[str, None] = {}
    for row in rows:
        if row["direction"] == "out":
            graphs[str(row["graph"])] = None
        prop = str(row["property"])
        if row.get("propertyLabel"):
            property_labels[prop] = str(row["propertyLabel"])
        if row["otherKind"] == "literal":
            if row["direction"] == "out":
                key = (prop, str(row["other"]), str(row.get("valueLanguage") or ""))
                literals[key] = None
            continue
        if row["otherKind"] != "node":
            continue
        key = (str(row["direction"]), prop, str(row["other"]))
        found = labels.setdefault(key, {})
        if row.get("otherLabel") is not None and row.get("otherLabelLanguage") is not None:
            found.setdefault(str(row["otherLabelLanguage"]), str(row["otherLabel"]))
    links = tuple(
        Link(
            direction,  # type: ignore[arg-type]
            prop,
            property_labels.get(prop) or property_label(prop, lang),
            _pick_label(found, other, lang),
        )
        for (direction, prop, other), found in labels.items()
    )
    if not graphs:  # a node only linked to: the files that link to it
        graphs = {str(row["graph"]): None for row in rows}
    files = tuple(sorted(_file_of(graph) for graph in graphs))
    return _Statements(tuple(literals), links, files)


def _file_of(graph: str) -> str:
    base = PREFIXES["pag"]
    return graph[len(base) :] + ".ttl" if graph.startswith(base) else graph


def _texts(
    literals: Sequence[tuple[str, str, str]], properties: Sequence[str], lang: str
) -> tuple[tuple[str, ...], str | None]:
    """The values of ``properties`` in ``lang`` (or, when none, in the other language, with
    that language as the marker)."""
    chosen = [v for p in properties for (q, v, code) in literals if q == p and code == lang]
    if chosen:
        return tuple(chosen), None
    other = _other(lang)
    chosen = [v for p in properties for (q, v, code) in literals if q == p and code == other]
    return tuple(chosen), (other if chosen else None)


def _sort_links(links: Iterable[Link]) -> list[Link]:
    return sorted(links, key=lambda k: (k.property_label.lower(), k.node.label.lower(), k.node.iri))


# -- the node's page -------------------------------------------------------------------------


def node_page(atlas: Atlas, iri: str, *, lang: str = "en", neighbours: int = 30) -> NodePage:
    """Everything the node's page shows, in ``lang``; at most ``neighbours`` links each way.

    ``iri`` is a full IRI or a short id (``id/instrument/california-values-act``). Raises
    :class:`~pipeline_atlas.errors.ParameterError` when the graph says nothing about it.
    """
    _check_lang(lang)
    iri = _iri(iri)
    found = _statements(atlas, iri, lang)
    if not found.literals and not found.links:
        raise ParameterError(
            f"{node_param(iri)!r} is not a node of the graph: no source file says anything "
            "about it",
            param="node",
        )
    labels = {code: v for (p, v, code) in found.literals if p == LABEL_PROPERTY and code}
    definition, def_fallback = _texts(found.literals, (DEFINITION,), lang)
    notes, notes_fallback = _texts(found.literals, NOTES, lang)
    sources: list[Source] = []
    for prop in SOURCES:
        for p, value, _ in found.literals:
            if p == prop:
                sources.append(Source(value, tuple(dict.fromkeys(_URL.findall(value)))))
        for link in found.links:
            if link.direction == "out" and link.property == prop:
                sources.append(Source(link.node.iri, (link.node.iri,)))
    out = [k for k in found.links if k.direction == "out"]
    types = tuple(
        sorted((k.node for k in out if k.property == TYPE), key=lambda n: n.label.lower())
    )
    confidence = next((k.node for k in out if k.property == CONFIDENCE), None)
    shown_out = _sort_links(k for k in out if k.property not in (TYPE, *SOURCES))
    shown_in = _sort_links(k for k in found.links if k.direction == "in")
    passages = tuple(
        Passage(
            str(row["passage"]),
            str(row["label"]),
            str(row["quotation"]),
            None if row.get("translation") is None else str(row["translation"]),
        )
        for row in atlas.query(PASSAGES, params={"node": iri, "lang": lang}).rows
    )

    def one(prop: str) -> str | None:
        return next((v for p, v, _ in found.literals if p == prop), None)

    return NodePage(
        iri=iri,
        lang=lang,
        title=_pick_label(labels, iri, lang),
        label_en=labels.get("en"),
        label_es=labels.get("es"),
        kind=kind_of(iri),
        types=types,
        definition=definition[0] if definition else None,
        notes=notes,
        text_fallback=def_fallback or notes_fallback,
        sources=tuple(sources),
        confidence=confidence,
        last_checked=one(LAST_CHECKED),
        as_of=one(AS_OF),
        passages=passages,
        outgoing=tuple(shown_out[:neighbours]),
        incoming=tuple(shown_in[:neighbours]),
        more_outgoing=max(0, len(shown_out) - neighbours),
        more_incoming=max(0, len(shown_in) - neighbours),
        files=found.files,
    )


def node_label(atlas: Atlas, iri: str, *, lang: str = "en") -> NodeRef:
    """The node's label in ``lang`` (marked when only the other language has one)."""
    _check_lang(lang)
    iri = _iri(iri)
    rows = atlas.query(LABEL, params={"node": iri}).rows
    return _pick_label({str(r["language"]): str(r["label"]) for r in rows}, iri, lang)


def entry_points(atlas: Atlas, *, lang: str = "en") -> tuple[NodeRef, ...]:
    """Where to start: the four stages in order, then :data:`ENTRY_POINTS` (the Governor, ICE,
    SB 54, Secure Communities, the city council and the county board of supervisors)."""
    _check_lang(lang)
    stages = tuple(
        NodeRef(str(row["stage"]), str(row["stageLabel"]))
        for row in atlas.query(STAGES, params={"lang": lang}).rows
    )
    return stages + tuple(node_label(atlas, iri, lang=lang) for iri in ENTRY_POINTS)


# -- the neighbourhood -----------------------------------------------------------------------


def neighbourhood(
    atlas: Atlas,
    iri: str,
    *,
    lang: str = "en",
    expanded: tuple[str, ...] = (),
    limit: int = 40,
) -> Neighbourhood:
    """The nodes linked to ``iri`` and to each node of ``expanded`` (in that order, each one
    drawn already), at most ``limit`` nodes in all, with a fixed layout: the centre at the
    origin, its neighbours on a ring of radius 1 starting at the top, and an expanded node's new
    neighbours on an arc of radius 0.6 around it, facing outwards. Class links (``rdf:type``)
    are left out: they belong on the node's page. Raises ``ParameterError`` for an unknown
    centre; an expanded node that is not drawn is ignored.
    """
    _check_lang(lang)
    if limit < 2:
        raise ParameterError(f"limit must be at least 2, not {limit}", param="limit")
    center = _iri(iri)
    statements = _statements(atlas, center, lang)
    if not statements.literals and not statements.links:
        raise ParameterError(
            f"{node_param(center)!r} is not a node of the graph: no source file says anything "
            "about it",
            param="node",
        )
    own = {code: v for (p, v, code) in statements.literals if p == LABEL_PROPERTY and code}
    refs: dict[str, NodeRef] = {center: _pick_label(own, center, lang)}
    positions: dict[str, tuple[float, float]] = {center: (0.0, 0.0)}
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    hidden: set[str] = set()
    done: list[str] = []

    def grow(node: str, links: Sequence[Link]) -> None:
        links = [k for k in _sort_links(links) if k.property != TYPE]
        new = [k.node for k in links if k.node.iri not in positions]
        new = list({n.iri: n for n in new}.values())
        room = max(0, limit - len(positions))
        for ref in new[room:]:
            hidden.add(ref.iri)
        new = new[:room]
        x0, y0 = positions[node]
        if node == center:
            for i, ref in enumerate(new):
                angle = math.pi / 2 - 2 * math.pi * i / max(1, len(new))
                positions[ref.iri] = (round(math.cos(angle), 4), round(math.sin(angle), 4))
        else:
            facing = math.atan2(y0, x0)
            spread = min(math.pi * 0.9, 0.45 * len(new))
            for i, ref in enumerate(new):
                offset = 0.0 if len(new) == 1 else spread * (i / (len(new) - 1) - 0.5)
                angle = facing - offset
                positions[ref.iri] = (
                    round(x0 + 0.6 * math.cos(angle), 4),
                    round(y0 + 0.6 * math.sin(angle), 4),
                )
        for ref in new:
            refs[ref.iri] = ref
            hidden.discard(ref.iri)
        for k in links:
            if k.node.iri in positions:
                source, target = (node, k.node.iri) if k.direction == "out" else (k.node.iri, node)
                edges.setdefault(
                    (source, target, k.property),
                    GraphEdge(source, target, k.property, k.property_label),
                )

    grow(center, statements.links)
    for extra in expanded:
        extra = _iri(extra)
        if extra == center or extra not in positions or extra in done:
            continue
        done.append(extra)
        grow(extra, _statements(atlas, extra, lang).links)
    nodes = tuple(
        GraphNode(
            iri=node,
            label=refs[node].text(lang),
            kind=kind_of(node),
            kind_label=t(f"ui.graph.kind.{kind_of(node)}", lang),
            x=x,
            y=y,
            is_center=node == center,
            is_expanded=node in done,
        )
        for node, (x, y) in positions.items()
    )
    hidden -= set(positions)
    return Neighbourhood(
        center=center,
        lang=lang,
        nodes=nodes,
        edges=tuple(edges.values()),
        expanded=tuple(done),
        hidden=len(hidden),
        limit=limit,
    )


def neighbourhood_chart(nb: Neighbourhood, *, lang: str) -> dict[str, Any]:
    """A Vega-Lite spec for ``nb``: links as lines, nodes as points coloured by kind with their
    labels, and a point selection ``node`` (field ``iri``) to show with
    ``st.vega_lite_chart(spec, on_select="rerun", selection_mode="node", key=…)``."""
    xs = [n.x for n in nb.nodes] or [0.0]
    ys = [n.y for n in nb.nodes] or [0.0]
    pad = 0.35
    x_scale = {"domain": [min(xs) - pad, max(xs) + pad], "nice": False, "zero": False}
    y_scale = {"domain": [min(ys) - pad, max(ys) + pad], "nice": False, "zero": False}
    where = {n.iri: n for n in nb.nodes}
    edge_rows = [
        {
            "x": where[e.source].x,
            "y": where[e.source].y,
            "x2": where[e.target].x,
            "y2": where[e.target].y,
            "label": f"{where[e.source].label} — {e.label} → {where[e.target].label}",
        }
        for e in nb.edges
    ]
    node_rows = [
        {
            "iri": n.iri,
            "label": n.label,
            "short": short_label(n.label),
            "kind": n.kind_label,
            "x": n.x,
            "y": n.y,
            "role": t(
                "ui.graph.role.center"
                if n.is_center
                else "ui.graph.role.expanded"
                if n.is_expanded
                else "ui.graph.role.neighbour",
                lang,
            ),
            "size": 420 if n.is_center else 220 if n.is_expanded else 140,
        }
        for n in nb.nodes
    ]
    x_enc = {"field": "x", "type": "quantitative", "axis": None, "scale": x_scale}
    y_enc = {"field": "y", "type": "quantitative", "axis": None, "scale": y_scale}
    center = where[nb.center].label if nb.center in where else node_param(nb.center)
    return {
        "description": t("ui.graph.chart_description", lang, label=center),
        "height": 520,
        "layer": [
            {
                "data": {"values": edge_rows},
                "mark": {"type": "rule", "color": "#9a9a9a", "strokeWidth": 1},
                "encoding": {
                    "x": x_enc,
                    "y": y_enc,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    "tooltip": [{"field": "label", "title": t("ui.graph.link", lang)}],
                },
            },
            {
                "data": {"values": node_rows},
                "params": [
                    {"name": "node", "select": {"type": "point", "fields": ["iri"], "on": "click"}}
                ],
                "mark": {"type": "circle", "opacity": 1, "cursor": "pointer", "stroke": "white"},
                "encoding": {
                    "x": x_enc,
                    "y": y_enc,
                    "size": {"field": "size", "type": "quantitative", "legend": None},
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "legend": {"title": t("ui.graph.legend", lang), "orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "label", "title": t("ui.graph.node", lang)},
                        {"field": "kind", "title": t("ui.graph.legend", lang)},
                        {"field": "role", "title": t("ui.graph.role_title", lang)},
                    ],
                },
            },
            {
                "data": {"values": node_rows},
                "mark": {"type": "text", "dy": -14, "fontSize": 11},
                "encoding": {"x": x_enc, "y": y_enc, "text": {"field": "short"}},
            },
        ],
        "config": {"view": {"stroke": None}},
    }


def neighbourhood_text(nb: Neighbourhood) -> list[str]:
    """The figure in words: one line a link, ``source — property → target``, in the figure's
    order (the centre's links first)."""
    where = {n.iri: n.label for n in nb.nodes}
    return [f"{where[e.source]} — {e.label} → {where[e.target]}" for e in nb.edges]


def after_click(nb: Neighbourhood, clicked: str | None) -> tuple[str, tuple[str, ...]] | None:
    """What a click on ``clicked`` in ``nb``'s figure does, as the new (centre, expanded):
    a node not yet expanded is expanded (added to ``expanded``); the centre or an expanded node
    opens its own page (a new centre, nothing expanded). ``None``: nothing to do.

    >>> nb = Neighbourhood("c", "en", (GraphNode("c", "C", "body", "Body", 0, 0, True),
    ...     GraphNode("n", "N", "body", "Body", 0, 1)), (), (), 0, 40)
    >>> after_click(nb, "n")
    ('c', ('n',))
    >>> after_click(nb, "c"), after_click(nb, "elsewhere")
    (('c', ()), None)
    """
    node = nb.node(clicked) if clicked else None
    if node is None:
        return None
    if node.is_center or node.is_expanded:
        return node.iri, ()
    return nb.center, (*nb.expanded, node.iri)


def selected_node(event: Mapping[str, Any] | None) -> str | None:
    """The IRI of the node clicked in the chart, from ``st.vega_lite_chart``'s return value
    (``{"selection": {"node": [{"iri": …}]}}``), or ``None``.

    >>> selected_node({"selection": {"node": [{"iri": "https://w3id.org/pipeline-atlas/id/body/ice"}]}})
    'https://w3id.org/pipeline-atlas/id/body/ice'
    >>> selected_node({"selection": {"node": {}}}) is None
    True
    """
    if not event:
        return None
    selection = event.get("selection") or {}
    chosen = selection.get("node") if hasattr(selection, "get") else None
    if isinstance(chosen, Mapping):  # some versions give {"iri": [...]} or {}
        values = chosen.get("iri")
        if isinstance(values, list) and values:
            return str(values[0])
        return None
    if isinstance(chosen, list) and chosen and isinstance(chosen[0], Mapping):
        value: Value | Any = chosen[0].get("iri")
        return str(value) if value else None
    return None
