"""Property-graph exports: Neo4j-ready CSV (a folder) and GraphML (one file), from the nodes and
edges of :class:`~pipeline_atlas.exchange.model.GraphModel`.

Mapping
    * Every model node is a property-graph node: ``id`` (the model's id, ``body/ice``), ``iri``,
      and one property per property of the graph whose values are literals or non-node IRIs,
      named by the column's stable key (``label``, ``census_population2020``…). Text is in the
      export's language (a value the graph has only in the other language is kept in that one),
      like the spreadsheet exports.
    * Labels (Neo4j): ``Resource`` on every node, plus one per asserted class, the class's
      local name for the project's classes (``City``, ``LawEnforcementAgency``) and the prefix
      joined to it for other vocabularies (``SkosConcept``, ``DcatDataset``, ``VoidDataset``).
    * Every model edge is a relationship; its type is the column key in UPPER_SNAKE_CASE
      (``pa:flowsTo`` → ``FLOWS_TO``, ``prov:wasDerivedFrom`` → ``WAS_DERIVED_FROM``), with the
      properties ``property`` (the RDF property's CURIE) and ``inferred`` (true when only the
      reasoner states it).

Neo4j folder (``fmt="neo4j"``)
    ``nodes.csv`` and ``relationships.csv`` with the header line of ``neo4j-admin database
    import`` (``id:ID``, ``:LABEL``, typed properties such as ``census_population2020:long``,
    ``last_checked:date``, ``alt_label:string[]``; ``:START_ID``, ``:END_ID``, ``:TYPE``,
    ``inferred:boolean``), lists separated by :data:`ARRAY_DELIMITER`; ``import.sh`` with the
    offline import command; ``load.cypher`` that creates a uniqueness constraint on ``id`` for
    every label and loads the same two files with ``LOAD CSV WITH HEADERS`` (for a running
    server); ``README.txt``. Plain UTF-8 without a byte-order mark (the importer reads the first
    header cell literally).

GraphML (``fmt="graphml"``)
    One ``<graph edgedefault="directed">``; node keys ``label``, ``classes`` (CURIEs joined by
    ``" "``), ``neo4j_labels``, ``iri`` and one key per property (``attr.type`` ``long``,
    ``boolean``, ``double`` or ``string``; several values joined by ``" | "``); edge keys
    ``relation`` (type), ``relation_label`` (the property's title in the language), ``property``
    and ``inferred`` (boolean). Written with :mod:`xml.etree.ElementTree`.

>>> relationship_type("was_derived_from")
'WAS_DERIVED_FROM'
>>> neo4j_label("https://w3id.org/pipeline-atlas/ont/City"), neo4j_label(
...     "http://www.w3.org/2004/02/skos/core#Concept")
('City', 'SkosConcept')
"""

from __future__ import annotations

import csv
import re
import shlex
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..i18n import t
from ..namespaces import PREFIXES
from . import ExportError, ExportResult, Graphs
from .files import atomic_file, atomic_folder
from .model import SEPARATOR, Column, GraphModel, node_id

__all__ = [
    "ARRAY_DELIMITER",
    "BASE_LABEL",
    "GRAPHML_NS",
    "Property",
    "neo4j_label",
    "properties",
    "relationship_type",
    "write",
    "write_graphml",
    "write_neo4j",
]

ARRAY_DELIMITER = "|"
"""Between the items of a list property and of ``:LABEL`` in the Neo4j CSV files
(``--array-delimiter``)."""

BASE_LABEL = "Resource"
"""The label every node has (its ``id`` is unique among all nodes)."""

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

_NEO4J_TYPES = {
    "xsd:integer": "long",
    "xsd:int": "long",
    "xsd:long": "long",
    "xsd:nonNegativeInteger": "long",
    "xsd:positiveInteger": "long",
    "xsd:boolean": "boolean",
    "xsd:date": "date",
    "xsd:decimal": "double",
    "xsd:double": "double",
    "xsd:float": "double",
}
_GRAPHML_TYPES = {"long": "long", "boolean": "boolean", "double": "double"}
_CYPHER_CONVERT = {
    "long": "toInteger({})",
    "boolean": "toBoolean({})",
    "double": "toFloat({})",
    "date": "date({})",
    "string": "{}",
}


@dataclass(frozen=True)
class Property:
    """A node property: the column's ``key`` and RDF property (``predicate``), its Neo4j
    ``type`` (``long``, ``boolean``, ``double``, ``date`` or ``string``) and whether some node
    has several values (``array``)."""

    key: str
    predicate: str
    type: str
    array: bool

    @property
    def header(self) -> str:
        """The ``neo4j-admin`` header cell: ``key:type`` (``[]`` for a list)."""
        return f"{self.key}:{self.type}{'[]' if self.array else ''}"


def relationship_type(key: str) -> str:
    """The relationship type of a column key: UPPER_SNAKE_CASE."""
    return key.upper()


def neo4j_label(class_iri: str) -> str:
    """A class's Neo4j label: the local name for the project's classes, prefix + local name
    (PascalCase) for other vocabularies."""
    local = re.split(r"[/#]", class_iri)[-1]
    if class_iri.startswith(PREFIXES["pa"]):
        return local
    for prefix, namespace in PREFIXES.items():
        if class_iri.startswith(namespace) and prefix != "pa":
            return prefix[:1].upper() + prefix[1:] + local[:1].upper() + local[1:]
    return re.sub(r"[^A-Za-z0-9_]", "_", local)


def literal_values(model: GraphModel, node: str, prop: str, lang: str) -> list[str]:
    """The values of ``prop`` on ``node`` that are not nodes, in ``lang`` or untagged (the
    other languages when those are all there is), sorted."""
    found = model.nodes[node].attributes.get(prop, [])
    wanted = [a.value for a in found if a.language in (lang, "")]
    if not wanted and found:
        wanted = [a.value for a in found]
    return sorted(set(wanted))


def properties(model: GraphModel, lang: str) -> list[Property]:
    """The node properties: every column with literal or non-node IRI values, typed by the
    datatypes of its values (``string`` when they differ), sorted by key."""
    datatypes: dict[str, set[str]] = {}
    for attribute in model.attributes:
        datatypes.setdefault(attribute.property, set()).add(attribute.datatype)
    out = []
    for prop, kinds in datatypes.items():
        types = {_NEO4J_TYPES.get(kind, "string") for kind in kinds}
        array = any(
            len(literal_values(model, node.id, prop, lang)) > 1
            for node in model.nodes.values()
            if prop in node.attributes
        )
        column: Column = model.columns[prop]
        out.append(Property(column.key, prop, types.pop() if len(types) == 1 else "string", array))
    return sorted(out, key=lambda p: p.key)


def _labels(model: GraphModel, node: str) -> list[str]:
    return [BASE_LABEL, *sorted({neo4j_label(c) for c in model.nodes[node].classes})]


def write(graphs: Graphs, fmt: str, output: str, *, lang: str) -> ExportResult:
    """Write ``graphs`` as ``fmt`` (``neo4j``: a folder; ``graphml``: one file) to ``output``,
    in ``lang``; nothing is left at ``output`` when writing fails (:class:`ExportError`)."""
    if fmt not in ("neo4j", "graphml"):
        raise ExportError(f"the property-graph module writes neo4j and graphml, not {fmt!r}")
    model = GraphModel.from_graphs(graphs)
    target = Path(output)
    try:
        if fmt == "neo4j":
            if target.exists() and not target.is_dir():
                raise ExportError(
                    t("exchange.tables.error.not_folder", lang, path=target, format="Neo4j")
                )
            with atomic_folder(target) as folder:
                write_neo4j(model, folder, lang=lang)
        else:
            with atomic_file(target) as tmp:
                write_graphml(model, tmp, lang=lang)
    except OSError as error:
        reason = error.strerror or str(error)
        name = "Neo4j" if fmt == "neo4j" else "GraphML"
        raise ExportError(
            t("exchange.tables.error.unwritable", lang, format=name, path=target, reason=reason)
        ) from error
    labels = {label for node in model.nodes for label in _labels(model, node)}
    counts = {
        "nodes": len(model.nodes),
        "edges": len(model.edges),
        "labels": len(labels),
        "relationship_types": len({model.columns[e.property].key for e in model.edges}),
    }
    return ExportResult(format=fmt, outputs=(str(target),), counts=counts)


# -- Neo4j -----------------------------------------------------------------------------------------

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"


def _cell(
    model: GraphModel, node: str, prop: Property, lang: str, *, delimiter: str = ARRAY_DELIMITER
) -> str:
    values = literal_values(model, node, prop.predicate, lang)
    if prop.array:
        for value in values:
            if delimiter in value:
                raise ExportError(
                    t("exchange.tables.error.array_delimiter", lang, node=node,
                      column=prop.key, delimiter=delimiter)
                )  # fmt: skip
        return delimiter.join(values)
    return values[0] if values else ""


def write_neo4j(model: GraphModel, folder: Path, *, lang: str) -> None:
    """``nodes.csv``, ``relationships.csv``, ``load.cypher``, ``import.sh`` and ``README.txt``
    in ``folder``."""
    props = properties(model, lang)
    with (folder / NODES_FILE).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id:ID", ":LABEL", "iri", *(p.header for p in props)])
        for ident, node in model.nodes.items():
            cells = [_cell(model, ident, p, lang) for p in props]
            out.writerow([ident, ARRAY_DELIMITER.join(_labels(model, ident)), node.iri, *cells])
    with (folder / RELATIONSHIPS_FILE).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([":START_ID", ":END_ID", ":TYPE", "property", "inferred:boolean"])
        for edge in model.edges:
            column = model.columns[edge.property]
            out.writerow(
                [edge.subject, edge.object, relationship_type(column.key), column.curie,
                 "true" if edge.inferred else "false"]
            )  # fmt: skip
    labels = sorted({label for node in model.nodes for label in _labels(model, node)})
    types = sorted({relationship_type(model.columns[e.property].key) for e in model.edges})
    (folder / "load.cypher").write_text(cypher_script(props, labels, types), encoding="utf-8")
    script = folder / "import.sh"
    script.write_text(import_script(), encoding="utf-8")
    script.chmod(0o755)
    (folder / "README.txt").write_text(
        t(
            "exchange.tables.neo4j.readme",
            lang,
            command=import_command(),
            delimiter=ARRAY_DELIMITER,
        ),
        encoding="utf-8",
    )


def import_command(database: str = "neo4j", folder: str = ".") -> str:
    """The ``neo4j-admin database import full`` command (Neo4j 5: the database name right
    after ``full``) that loads the two CSV files of ``folder`` into a new ``database``.

    >>> print(import_command())  # doctest: +NORMALIZE_WHITESPACE
    neo4j-admin database import full neo4j --nodes=./nodes.csv
    --relationships=./relationships.csv --array-delimiter='|' --multiline-fields=true
    """
    return " ".join(
        [
            "neo4j-admin database import full",
            shlex.quote(database),
            f"--nodes={shlex.quote(folder + '/' + NODES_FILE)}",
            f"--relationships={shlex.quote(folder + '/' + RELATIONSHIPS_FILE)}",
            f"--array-delimiter={shlex.quote(ARRAY_DELIMITER)}",
            "--multiline-fields=true",
        ]
    )


def import_script() -> str:
    """``import.sh``: the import command for the folder the script is in, into the database
    named by its first argument (``neo4j`` by default); Neo4j must be stopped (or the database
    must not exist yet)."""
    return (
        "#!/bin/sh\n"
        "# Load nodes.csv and relationships.csv into a new Neo4j 5 database (offline import).\n"
        "# Usage: sh import.sh [database]   (default: neo4j; add --overwrite-destination=true\n"
        "# by hand to replace an existing database). Run it where neo4j-admin is on the PATH.\n"
        "set -eu\n"
        'here=$(cd "$(dirname "$0")" && pwd)\n'
        'database="${1:-neo4j}"\n'
        'neo4j-admin database import full "$database" \\\n'
        f'    --nodes="$here/{NODES_FILE}" \\\n'
        f'    --relationships="$here/{RELATIONSHIPS_FILE}" \\\n'
        f"    --array-delimiter={shlex.quote(ARRAY_DELIMITER)} \\\n"
        "    --multiline-fields=true\n"
    )


def _tick(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _cypher_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cypher_script(props: list[Property], labels: list[str], types: list[str]) -> str:
    """``load.cypher``: constraints, then ``LOAD CSV WITH HEADERS`` of the two files (copied
    into the server's ``import`` folder), with the same types as the ``neo4j-admin`` headers."""
    delimiter = _cypher_string(ARRAY_DELIMITER)
    lines = [
        "// Pipeline Atlas for a running Neo4j 5 server: copy nodes.csv and relationships.csv",
        "// into the server's import folder, then run this file, e.g.:",
        "//   cypher-shell -u neo4j -p <password> -f load.cypher",
        "",
        "// One uniqueness constraint on id for every label.",
    ]
    for label in labels:
        name = f"pipeline_atlas_{label.lower()}_id"
        lines.append(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{_tick(label)}) REQUIRE n.id IS UNIQUE;"
        )
    sets = ["n.iri = row.iri"]
    for prop in props:
        cell = f"row.{_tick(prop.header)}"
        if prop.array:
            item = _CYPHER_CONVERT[prop.type].format("x")
            value = f"[x IN split({cell}, {delimiter}) | {item}]"
        else:
            value = _CYPHER_CONVERT[prop.type].format(cell)
        sets.append(f"n.{_tick(prop.key)} = CASE WHEN {cell} <> '' THEN {value} END")
    lines += [
        "",
        "// Nodes: every node is a Resource; its other labels come from the :LABEL column.",
        f"LOAD CSV WITH HEADERS FROM 'file:///{NODES_FILE}' AS row",
        f"MERGE (n:{BASE_LABEL} {{id: row.`id:ID`}})",
        "SET " + ",\n    ".join(sets) + ";",
    ]
    for label in labels:
        if label == BASE_LABEL:
            continue
        lines += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{NODES_FILE}' AS row",
            f"WITH row WHERE {_cypher_string(label)} IN split(row.`:LABEL`, {delimiter})",
            f"MATCH (n:{BASE_LABEL} {{id: row.`id:ID`}}) SET n:{_tick(label)};",
        ]
    lines += ["", "// Relationships, one statement per type."]
    for kind in types:
        lines += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{RELATIONSHIPS_FILE}' AS row",
            f"WITH row WHERE row.`:TYPE` = {_cypher_string(kind)}",
            f"MATCH (a:{BASE_LABEL} {{id: row.`:START_ID`}}), (b:{BASE_LABEL} "
            "{id: row.`:END_ID`})",
            f"CREATE (a)-[:{_tick(kind)} {{property: row.property, "
            "inferred: toBoolean(row.`inferred:boolean`)}]->(b);",
        ]
    return "\n".join(lines) + "\n"


# -- GraphML ---------------------------------------------------------------------------------------


def write_graphml(model: GraphModel, path: Path, *, lang: str) -> None:
    """The GraphML file of ``model`` at ``path`` (see the module's docstring)."""
    ET.register_namespace("", GRAPHML_NS)

    def tag(name: str) -> str:
        return f"{{{GRAPHML_NS}}}{name}"

    root = ET.Element(tag("graphml"))
    props = properties(model, lang)
    keys: list[tuple[str, str, str, str]] = [  # id, for, attr.name, attr.type
        ("n_label", "node", "label", "string"),
        ("n_classes", "node", "classes", "string"),
        ("n_neo4j_labels", "node", "neo4j_labels", "string"),
        ("n_iri", "node", "iri", "string"),
    ]
    prop_keys: dict[str, str] = {}
    for prop in props:
        if prop.key in ("label", "classes", "neo4j_labels", "iri"):
            prop_keys[prop.predicate] = "n_label" if prop.key == "label" else f"n_p_{prop.key}"
            if prop.key == "label":
                continue
        else:
            prop_keys[prop.predicate] = f"n_p_{prop.key}"
        kind = "string" if prop.array else _GRAPHML_TYPES.get(prop.type, "string")
        keys.append((prop_keys[prop.predicate], "node", prop.key, kind))
    keys += [
        ("e_relation", "edge", "relation", "string"),
        ("e_relation_label", "edge", "relation_label", "string"),
        ("e_property", "edge", "property", "string"),
        ("e_inferred", "edge", "inferred", "boolean"),
    ]
    for key_id, domain, name, kind in keys:
        ET.SubElement(
            root,
            tag("key"),
            {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(root, tag("graph"), {"id": "pipeline-atlas", "edgedefault": "directed"})

    def data(parent: ET.Element, key: str, value: str) -> None:
        if value != "":
            ET.SubElement(parent, tag("data"), {"key": key}).text = value

    label_prop = PREFIXES["rdfs"] + "label"
    for ident, node in model.nodes.items():
        element = ET.SubElement(graph, tag("node"), {"id": ident})
        data(element, "n_label", model.label(ident, lang))
        data(element, "n_classes", " ".join(_curies(model, node.classes)))
        data(element, "n_neo4j_labels", ARRAY_DELIMITER.join(_labels(model, ident)))
        data(element, "n_iri", node.iri)
        for prop in props:
            if prop.predicate == label_prop:
                continue
            values = literal_values(model, ident, prop.predicate, lang)
            data(element, prop_keys[prop.predicate], SEPARATOR.join(values))
    for number, edge in enumerate(model.edges):
        column = model.columns[edge.property]
        element = ET.SubElement(
            graph,
            tag("edge"),
            {"id": f"e{number}", "source": edge.subject, "target": edge.object},
        )
        data(element, "e_relation", relationship_type(column.key))
        data(element, "e_relation_label", column.title(lang))
        data(element, "e_property", column.curie)
        data(element, "e_inferred", "true" if edge.inferred else "false")
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _curies(model: GraphModel, classes: list[str]) -> list[str]:
    return [node_id(c) for c in classes]
