"""The graph as nodes, edges and tables: what the spreadsheet, SQL and property-graph exports
share, so that they all count the same things.

* **Nodes** are the IRIs that are the subject of a statement in a *data* graph: every named graph
  but the ontology's (``pag:ontology/…``: classes, properties, shapes), that is ``graph_data/…``,
  the dataset description and pending imports, and the reasoner's ``pag:inferred`` about those
  subjects (its subclass links between ontology classes are the ontology's, not data). The data
  graphs hold no blank nodes; a blank node there is an error, :class:`ModelError`.
* A node's **classes** are its asserted ``rdf:type`` values (not the reasoner's); each class is a
  **table** with one row per member, so a node with two classes is a row in two tables.
* **Edges** are statements whose object is another node (``rdf:type`` aside), one per distinct
  (subject, property, object); ``inferred`` is true when only the reasoner states it.
* **Attributes** are the other statements: literals (with language and datatype) and IRIs that
  are not nodes (a licence, a web page, an ontology term), one per distinct statement.

Every property is a **column**: a stable ``key`` (snake_case, for SQL and headers a program
reads), a title and a description in English and Spanish (the ontology's ``rdfs:label`` and
``skos:definition``; for terms of other vocabularies, the message catalogue's
``exchange.term.<prefix>_<name>`` entries).

>>> import pyoxigraph as ox
>>> g = "https://w3id.org/pipeline-atlas/graph/graph_data/x"
>>> def q(s, p, o):
...     return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(g))
>>> PA, ID = PREFIXES["pa"], PREFIXES["paid"]
>>> m = GraphModel.from_graphs({g: [
...     q(ID + "body/ice", RDF_TYPE, ox.NamedNode(PA + "ImmigrationEnforcementAgency")),
...     q(ID + "body/ice", LABEL, ox.Literal("ICE", language="en")),
...     q(ID + "flow/f", PA + "flowsTo", ox.NamedNode(ID + "body/ice")),
... ]})
>>> sorted(m.nodes)
['body/ice', 'flow/f']
>>> [(e.subject, node_id(e.property), e.object, e.inferred) for e in m.edges]
[('flow/f', 'pa:flowsTo', 'body/ice', False)]
>>> [t.key for t in m.tables], m.tables[0].members
(['immigration_enforcement_agency'], ('body/ice',))
>>> m.column(LABEL).key, m.text("body/ice", LABEL, "es")
('label', 'ICE')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..errors import AtlasError
from ..i18n import messages
from ..namespaces import INFERRED_GRAPH, PREFIXES

__all__ = [
    "DEFINITION",
    "LABEL",
    "PROVENANCE_COLUMNS",
    "RDF_TYPE",
    "Attribute",
    "Column",
    "Edge",
    "GraphModel",
    "ModelError",
    "Node",
    "Table",
    "curie_of",
    "is_data_graph",
    "node_id",
    "table_key",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_ONTOLOGY_GRAPHS = PREFIXES["pag"] + "ontology/"
_ID = PREFIXES["paid"]
SEPARATOR = " | "
"""Between the values of a multi-valued cell (labels, ids)."""

# Columns that come first in every table, then the others by key, then these last.
_FIRST = ("label", "definition")
PROVENANCE_COLUMNS = (
    "source",
    "bibliographic_citation",
    "was_derived_from",
    "as_of",
    "confidence",
    "last_checked",
)
"""The keys of the columns that say where a row comes from and how sure it is: last in every
table, in this order."""
_LAST = PROVENANCE_COLUMNS


_LAST_MODEL: dict[str, Any] = {}


class ModelError(AtlasError):
    """The graph cannot be laid out as tables (a blank node in a data graph)."""


def is_data_graph(graph: str) -> bool:
    """Whether a named graph holds data (not the ontology or its shapes).

    >>> is_data_graph("https://w3id.org/pipeline-atlas/graph/ontology/shapes")
    False
    >>> is_data_graph("https://w3id.org/pipeline-atlas/graph/inferred")
    True
    """
    return not graph.startswith(_ONTOLOGY_GRAPHS)


def _curie(iri: str) -> str | None:
    best: tuple[str, str] | None = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return None
    return f"{best[0]}:{iri[len(best[1]) :]}"


def curie_of(iri: str) -> str:
    """A CURIE with the project's prefixes, else the IRI.

    >>> curie_of("http://www.w3.org/2004/02/skos/core#Concept")
    'skos:Concept'
    """
    return _curie(iri) or iri


def table_key(class_iri: str) -> str:
    """The stable key of a class's table: snake_case of the local name for ``pa:`` classes,
    of the CURIE for others.

    >>> table_key("https://w3id.org/pipeline-atlas/ont/LegislativeBody"), table_key(
    ...     "http://www.w3.org/ns/dcat#Dataset")
    ('legislative_body', 'dcat_dataset')
    """
    if class_iri.startswith(PREFIXES["pa"]):
        return _snake(_local(class_iri))
    return _snake(curie_of(class_iri))


def node_id(iri: str) -> str:
    """A node's short id: the path after ``…/id/`` for the graph's own nodes, else a CURIE,
    else the IRI.

    >>> node_id("https://w3id.org/pipeline-atlas/id/body/ice")
    'body/ice'
    >>> node_id("http://www.w3.org/2004/02/skos/core#Concept")
    'skos:Concept'
    """
    if iri.startswith(_ID):
        return iri[len(_ID) :]
    return _curie(iri) or iri


def _snake(name: str) -> str:
    """``hasAuthorityOver`` → ``has_authority_over``; ``asWKT`` → ``as_wkt``."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


@dataclass(frozen=True)
class Attribute:
    """A statement whose object is not a node: ``value`` is the literal's text or the IRI;
    ``language`` its tag (``""`` when none); ``datatype`` ``"iri"`` for an IRI, else the
    literal's datatype as a CURIE (``xsd:date``; ``rdf:langString`` when tagged)."""

    subject: str
    property: str
    value: str
    language: str
    datatype: str


@dataclass(frozen=True)
class Edge:
    """A statement from one node to another (by id)."""

    subject: str
    property: str
    object: str
    inferred: bool


@dataclass
class Node:
    """A node: its IRI and id, asserted classes (IRIs), and statements by property IRI."""

    iri: str
    id: str
    classes: list[str] = field(default_factory=list)
    attributes: dict[str, list[Attribute]] = field(default_factory=dict)
    edges: dict[str, list[Edge]] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """A property as a column: stable ``key``, its IRI, CURIE, ``kind`` (``reference`` when its
    values are nodes, ``value`` when literals or other IRIs, ``mixed`` when both), titles and
    descriptions by language."""

    key: str
    property: str
    curie: str
    kind: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]

    def title(self, lang: str) -> str:
        """The column's readable name in ``lang``."""
        return self.titles.get(lang) or self.key.replace("_", " ")

    def description(self, lang: str) -> str:
        """What the column holds, in ``lang``."""
        return self.descriptions.get(lang, "")


@dataclass(frozen=True)
class Table:
    """A class as a table: stable ``key``, the class IRI, titles/descriptions by language, its
    columns (property keys, in order) and its members (node ids, sorted)."""

    key: str
    class_iri: str
    curie: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    columns: tuple[str, ...]
    members: tuple[str, ...]

    def title(self, lang: str) -> str:
        """The table's readable name in ``lang``."""
        return self.titles.get(lang) or self.key.replace("_", " ")

    def description(self, lang: str) -> str:
        """What a row of the table is, in ``lang``."""
        return self.descriptions.get(lang, "")


class GraphModel:
    """Nodes, edges, attributes, columns and tables of a graph (see the module's docstring)."""

    def __init__(
        self,
        nodes: dict[str, Node],
        edges: list[Edge],
        attributes: list[Attribute],
        columns: dict[str, Column],
        tables: list[Table],
    ) -> None:
        self.nodes = nodes
        self.edges = edges
        self.attributes = attributes
        self.columns = columns
        """Property IRI → its column."""
        self.tables = tables

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def from_graphs(cls, graphs: Mapping[str, Sequence[ox.Quad]]) -> GraphModel:
        """Lay out ``graphs`` (named-graph IRI → quads, the whole store); the ontology's graphs
        give the titles and descriptions of classes and properties.

        The last model made is kept for the same ``graphs`` object (the same mapping, not an
        equal one), so that several exports of one graph (``export --format all``) lay it out
        once. The model is read-only by convention: do not change what it returns.
        """
        last = _LAST_MODEL.get("graphs")
        if last is not None and last is graphs:
            model: GraphModel = _LAST_MODEL["model"]
            return model
        model = cls._build(graphs)
        _LAST_MODEL.update(graphs=graphs, model=model)
        return model

    @classmethod
    def _build(cls, graphs: Mapping[str, Sequence[ox.Quad]]) -> GraphModel:
        term_text: dict[tuple[str, str, str], str] = {}
        data: list[tuple[ox.Quad, bool]] = []
        for graph, quads in graphs.items():
            if not is_data_graph(graph):
                for quad in quads:
                    _note_text(term_text, quad)
                continue
            inferred = graph == INFERRED_GRAPH
            data.extend((quad, inferred) for quad in quads)

        # TBox inferences (subclass links between ontology classes) are left out: the reasoner's
        # statements count only about subjects that the other data graphs describe.
        described = {q.subject for q, inferred in data if not inferred}
        data = [(q, inferred) for q, inferred in data if not inferred or q.subject in described]
        subjects: dict[str, Node] = {}
        for quad, _ in data:
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                raise ModelError(f"a blank node is the subject of a statement in {quad.graph_name}")
            if subject.value not in subjects:
                subjects[subject.value] = Node(subject.value, node_id(subject.value))
        for quad, _ in data:  # labels of vocabulary terms stated in the data graphs too
            _note_text(term_text, quad)

        asserted_edges: dict[tuple[str, str, str], bool] = {}
        attributes: dict[tuple[str, str, str, str, str], Attribute] = {}
        classes: dict[str, set[str]] = {}
        used: dict[str, set[str]] = {}  # property → kinds
        for quad, inferred in data:
            node = subjects[str(quad.subject.value)]  # type: ignore[union-attr]
            prop = quad.predicate.value
            obj = quad.object
            if prop == RDF_TYPE and isinstance(obj, ox.NamedNode):
                if not inferred:
                    classes.setdefault(node.iri, set()).add(obj.value)
                continue
            if isinstance(obj, ox.NamedNode) and obj.value in subjects:
                key = (node.id, prop, subjects[obj.value].id)
                asserted_edges[key] = asserted_edges.get(key, True) and inferred
                used.setdefault(prop, set()).add("reference")
                continue
            if isinstance(obj, ox.BlankNode):
                raise ModelError(f"a blank node is the object of a statement in {quad.graph_name}")
            attribute = _attribute(node.id, prop, obj)
            attributes[(node.id, prop, attribute.value, attribute.language, attribute.datatype)] = (
                attribute
            )
            used.setdefault(prop, set()).add("value")

        edges = [Edge(s, p, o, inferred) for (s, p, o), inferred in asserted_edges.items()]
        edges.sort(key=lambda e: (e.subject, e.property, e.object))
        by_id = {node.id: node for node in subjects.values()}
        for edge in edges:
            by_id[edge.subject].edges.setdefault(edge.property, []).append(edge)
        attribute_list = sorted(
            attributes.values(),
            key=lambda a: (a.subject, a.property, a.language, a.value, a.datatype),
        )
        for attribute in attribute_list:
            by_id[attribute.subject].attributes.setdefault(attribute.property, []).append(attribute)
        for iri, found in classes.items():
            subjects[iri].classes = sorted(found)

        columns = _columns(used, term_text)
        tables = _tables(by_id, classes, columns, term_text)
        nodes = dict(sorted(by_id.items()))
        return cls(nodes, edges, attribute_list, columns, tables)

    # -- reading -----------------------------------------------------------------------------

    def column(self, prop: str) -> Column:
        """The column of a property IRI (``KeyError`` when no data statement uses it)."""
        return self.columns[prop]

    def table(self, key: str) -> Table:
        """The table with ``key`` (``KeyError`` when none)."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def label(self, node: str, lang: str) -> str:
        """A node's ``rdfs:label`` in ``lang`` (else an untagged one, else its id)."""
        return self.text(node, LABEL, lang) or node

    def values(self, node: str, prop: str, lang: str) -> list[str]:
        """The values of ``prop`` on ``node`` as text: literals in ``lang`` or untagged (a
        property with values only in other languages shows those), IRIs as they are, other
        nodes by id; sorted."""
        item = self.nodes[node]
        out = [edge.object for edge in item.edges.get(prop, [])]
        found = item.attributes.get(prop, [])
        wanted = [a.value for a in found if a.language in (lang, "")]
        if not wanted and found:
            wanted = [a.value for a in found]
        return sorted(set(out + wanted))

    def text(self, node: str, prop: str, lang: str) -> str:
        """:meth:`values` joined with :data:`SEPARATOR` (``""`` when none)."""
        return SEPARATOR.join(self.values(node, prop, lang))

    def row(self, table: Table, node: str, lang: str) -> dict[str, str]:
        """One row of ``table``: ``id`` then each column's text in ``lang``."""
        row = {"id": node}
        for key in table.columns:
            row[key] = self.text(node, self._by_key[key].property, lang)
        return row

    def rows(self, table: Table, lang: str) -> list[dict[str, str]]:
        """Every row of ``table`` in member order."""
        return [self.row(table, node, lang) for node in table.members]

    @functools.cached_property
    def _by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns.values()}

    def column_by_key(self, key: str) -> Column:
        """The column with ``key`` (``KeyError`` when none)."""
        return self._by_key[key]


def _note_text(found: dict[tuple[str, str, str], str], quad: ox.Quad) -> None:
    if quad.predicate.value not in (LABEL, DEFINITION):
        return
    obj, subject = quad.object, quad.subject
    if (
        isinstance(obj, ox.Literal)
        and obj.language in ("en", "es")
        and not isinstance(subject, ox.Triple)
    ):
        found.setdefault((subject.value, quad.predicate.value, obj.language), obj.value)


def _attribute(subject: str, prop: str, obj: ox.NamedNode | ox.Literal | ox.Triple) -> Attribute:
    if isinstance(obj, ox.NamedNode):
        return Attribute(subject, prop, obj.value, "", "iri")
    if isinstance(obj, ox.Literal):
        datatype = obj.datatype.value
        return Attribute(subject, prop, obj.value, obj.language or "", _curie(datatype) or datatype)
    raise ModelError(f"{subject}: an RDF-star triple as a value is not supported")


def _texts(
    term_text: Mapping[tuple[str, str, str], str], iri: str, prop: str, fallback: str
) -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in ("en", "es"):
        text = term_text.get((iri, prop, lang))
        if text is None:
            curie = _curie(iri) or iri
            key = f"exchange.term.{_snake(curie.replace(':', '_'))}.{fallback}"
            text = messages().get(key, {}).get(lang, "")
        out[lang] = text
    return out


def _columns(
    used: Mapping[str, set[str]], term_text: Mapping[tuple[str, str, str], str]
) -> dict[str, Column]:
    local: dict[str, list[str]] = {}
    for prop in used:
        local.setdefault(_snake(_local(prop)), []).append(prop)
    columns: dict[str, Column] = {}
    for prop, kinds in used.items():
        curie = _curie(prop) or prop
        key = _snake(_local(prop))
        if len(local[key]) > 1 and not prop.startswith(PREFIXES["pa"]):
            key = _snake(curie.replace(":", "_"))
        kind = "mixed" if len(kinds) > 1 else next(iter(kinds))
        columns[prop] = Column(
            key=key,
            property=prop,
            curie=curie,
            kind=kind,
            titles=_texts(term_text, prop, LABEL, "label"),
            descriptions=_texts(term_text, prop, DEFINITION, "definition"),
        )
    return dict(sorted(columns.items(), key=lambda item: item[1].key))


def _order(key: str) -> tuple[int, int, str]:
    if key in _FIRST:
        return (0, _FIRST.index(key), key)
    if key in _LAST:
        return (2, _LAST.index(key), key)
    return (1, 0, key)


def _tables(
    nodes: Mapping[str, Node],
    classes: Mapping[str, set[str]],
    columns: Mapping[str, Column],
    term_text: Mapping[tuple[str, str, str], str],
) -> list[Table]:
    members: dict[str, list[str]] = {}
    for iri, found in classes.items():
        for cls in found:
            members.setdefault(cls, []).append(node_id(iri))
    tables: list[Table] = []
    for cls, ids in members.items():
        curie = curie_of(cls)
        key = table_key(cls)
        props: set[str] = set()
        for member in ids:
            node = nodes[member]
            props.update(node.attributes)
            props.update(node.edges)
        keys = sorted((columns[p].key for p in props), key=_order)
        tables.append(
            Table(
                key=key,
                class_iri=cls,
                curie=curie,
                titles=_texts(term_text, cls, LABEL, "label"),
                descriptions=_texts(term_text, cls, DEFINITION, "definition"),
                columns=tuple(keys),
                members=tuple(sorted(ids)),
            )
        )
    return sorted(tables, key=lambda table: table.key)


def data_quads(graphs: Mapping[str, Iterable[ox.Quad]]) -> Iterable[ox.Quad]:
    """The quads of the data graphs (see :func:`is_data_graph`)."""
    for graph, quads in graphs.items():
        if is_data_graph(graph):
            yield from quads
