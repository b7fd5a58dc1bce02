"""Spreadsheet exports: a CSV bundle (a folder of CSV files) and an XLSX workbook, with the same
content, laid out by :class:`~pipeline_atlas.exchange.model.GraphModel`.

What the bundle holds (the workbook has one sheet per file, in the same order)
    ``dataset.csv`` (sheet *About*)
        What the dataset is, read from the graph, never written here: every statement about the
        nodes of the dataset-description graphs (``pag:graph_data/dataset``, ``pag:metadata``:
        the dataset ``paid:dataset`` first, its subsets, class partitions and sources), the
        members of DCAT and VoID classes, the source documents (``pa:SourceDocument``) and any
        node without a class: title, version, dates, licence, rights, attribution, counts…
        one value a row.
    ``dictionary.csv`` (sheet *Dictionary*)
        The data dictionary: a row for each file (its title, what a row of it is, its RDF class)
        and a row for every column of every file (the header as it appears, the stable ``key``,
        the meaning: the definition of the property in the ontology or in its own vocabulary, the
        kind of cells, the datatypes of the values, the CURIE and IRI). The headers of the files
        are readable titles in the export's language; the dictionary maps each back to its key,
        which is the same in both languages and in the SQL exports, for programs.
    ``relations.csv`` (sheet *Relations*)
        One row per edge of the model (every link from a node to a node, one per distinct
        subject, property and object), with both ends' ids and labels and whether only the
        reasoner states it (``pag:inferred``).
    ``<table key>.csv`` (one sheet per table, named by its title)
        One file per asserted class, one row per member; ``id`` first, then a column per
        property that a member uses; reference columns hold the target ids and are followed by a
        companion ``<key>_label`` column with the targets' labels in the same order. Every table
        ends with the provenance columns (:data:`PROVENANCE`: source, bibliographic citation,
        derived from, as of, confidence, last checked), empty where the graph states none.

Language
    Headers, labels and text are in ``lang``: a literal in ``lang`` or without a language; a
    property that a node has only in the other language shows that language rather than nothing.
    The other language's text is in the other language's export (nothing else is left out:
    a node with a class is a row of its class's table, a node without one (the VoID class
    partitions of the dataset's description) is in ``dataset.csv``, and every edge is a row of
    ``relations.csv``).

Cells with several values join them with :data:`~pipeline_atlas.exchange.model.SEPARATOR`
(``" | "``), sorted.

Encoding
    UTF-8 *with* a byte-order mark (``utf-8-sig``), comma-separated, RFC 4180 quoting and CRLF
    line ends (Python's ``excel`` dialect): Excel opens a UTF-8 CSV with its accents intact only
    when the file starts with the mark; LibreOffice, Google Sheets, pandas and Python's ``csv``
    module (with ``encoding="utf-8-sig"``) read it as well.

>>> import pyoxigraph as ox
>>> from pipeline_atlas.namespaces import PREFIXES
>>> g = PREFIXES["pag"] + "graph_data/x"
>>> def q(s, p, o):
...     return ox.Quad(ox.NamedNode(PREFIXES["paid"] + s), ox.NamedNode(p), o, ox.NamedNode(g))
>>> from pipeline_atlas.exchange.model import LABEL, RDF_TYPE
>>> b = bundle({g: [q("stage/arrest", RDF_TYPE, ox.NamedNode(PREFIXES["pa"] + "Stage")),
...     q("stage/arrest", LABEL, ox.Literal("Arresto", language="es"))]}, lang="es")
>>> stage = b.sheet("stage")
>>> [f.key for f in stage.fields][:2], stage.rows[0][:2]
(['id', 'label'], ('stage/arrest', 'Arresto'))
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..i18n import t
from ..namespaces import METADATA_GRAPH, PREFIXES
from . import ExportError, ExportResult, Graphs
from .files import atomic_file, atomic_folder
from .metadata import DATASET
from .model import PROVENANCE_COLUMNS, SEPARATOR, Column, GraphModel, Table, node_id

__all__ = [
    "CSV_ENCODING",
    "PROVENANCE",
    "XLSX_CELL_LIMIT",
    "Bundle",
    "Field",
    "Sheet",
    "bundle",
    "csv_names",
    "read_csv",
    "sheet_names",
    "write",
    "write_csv",
    "write_xlsx",
]

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so that Excel shows accents (see the module's docstring)."""

PROVENANCE = PROVENANCE_COLUMNS
"""The columns every table ends with (where the graph uses the property at all): where a row
comes from and how current it is."""

XLSX_CELL_LIMIT = 32767
"""The most characters an Excel cell holds."""

_FIRST = ("label", "definition")
_ABOUT_GRAPHS = (PREFIXES["pag"] + "graph_data/dataset", METADATA_GRAPH)
_ABOUT_NAMESPACES = (PREFIXES["dcat"], PREFIXES["void"])
_SOURCE_DOCUMENT = PREFIXES["pa"] + "SourceDocument"
_RESERVED = ("dataset", "dictionary", "relations")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Field:
    """A column of a file: stable ``key``, ``header`` (readable, in the export's language), its
    ``meaning``, ``kind`` (readable), the datatypes of its values, and the RDF term it shows
    (``curie``, ``iri``; empty for the columns the export adds)."""

    key: str
    header: str
    meaning: str
    kind: str
    datatype: str = ""
    curie: str = ""
    iri: str = ""


@dataclass(frozen=True)
class Sheet:
    """One file of the bundle (one sheet of the workbook): its ``key`` (the CSV file's stem),
    title, description (what a row is), readable kind, RDF class (for a table), fields and rows
    (tuples of text, one per field)."""

    key: str
    title: str
    description: str
    kind: str
    fields: tuple[Field, ...]
    rows: tuple[tuple[str, ...], ...]
    curie: str = ""
    iri: str = ""

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [field.header for field in self.fields]


@dataclass(frozen=True)
class Bundle:
    """Every file of a spreadsheet export in one language but the dictionary, which
    :meth:`dictionary` writes once the files' names are known: ``sheets`` in order (About,
    Relations, then the tables by key); ``readme`` the bundle's README text."""

    lang: str
    sheets: tuple[Sheet, ...]
    readme: str
    nodes: int
    edges: int

    def sheet(self, key: str) -> Sheet:
        """The sheet with ``key`` (``KeyError`` when none)."""
        for sheet in self.sheets:
            if sheet.key == key:
                return sheet
        raise KeyError(key)

    @property
    def tables(self) -> tuple[Sheet, ...]:
        """The sheets that are tables of a class."""
        return tuple(sheet for sheet in self.sheets if sheet.iri)

    def dictionary(self, names: Mapping[str, str]) -> Sheet:
        """The data dictionary of the sheets and of itself; ``names`` maps each sheet's key
        (and ``"dictionary"``) to its file or sheet name."""
        lang = self.lang
        keys = ("file", "column", "key", "title", "meaning", "kind", "datatype", "curie", "iri")
        fields = tuple(_export_field(key, lang, kind="text") for key in keys)
        described = [*self.sheets]
        own = Sheet(
            key="dictionary",
            title=t("exchange.tables.file.dictionary.title", lang),
            description=t("exchange.tables.file.dictionary.description", lang),
            kind=t("exchange.tables.kind.file", lang),
            fields=fields,
            rows=(),
        )
        described.insert(1, own)
        rows: list[tuple[str, ...]] = []
        for sheet in described:
            name = names[sheet.key]
            rows.append(
                (
                    name,
                    "",
                    sheet.key,
                    sheet.title,
                    sheet.description,
                    sheet.kind,
                    "",
                    sheet.curie,
                    sheet.iri,
                )
            )
            for field in sheet.fields:
                rows.append(
                    (
                        name,
                        field.header,
                        field.key,
                        field.header,
                        field.meaning,
                        field.kind,
                        field.datatype,
                        field.curie,
                        field.iri,
                    )
                )
        return Sheet(
            own.key, own.title, own.description, own.kind, fields, tuple(rows), own.curie, own.iri
        )


# -- building --------------------------------------------------------------------------------------


def bundle(graphs: Graphs, *, lang: str, model: GraphModel | None = None) -> Bundle:
    """Lay out ``graphs`` as the files of a spreadsheet export in ``lang`` (``model``: the
    graph's model when the caller has it already)."""
    model = model if model is not None else GraphModel.from_graphs(graphs)
    by_key = {column.key: column for column in model.columns.values()}
    datatypes = _datatypes(model)
    provenance = [key for key in PROVENANCE if key in by_key]
    sheets = [_about(graphs, model, lang, by_key), _relations(model, lang)]
    for table in model.tables:
        sheets.append(_table(model, table, lang, by_key, datatypes, provenance))
    return Bundle(
        lang=lang,
        sheets=tuple(sheets),
        readme=_readme(model, lang, len(model.tables)),
        nodes=len(model.nodes),
        edges=len(model.edges),
    )


def _kind(kind: str, lang: str) -> str:
    return t(f"exchange.tables.kind.{kind}", lang)


def _export_field(key: str, lang: str, *, kind: str) -> Field:
    return Field(
        key=key,
        header=t(f"exchange.tables.column.{key}.title", lang),
        meaning=t(f"exchange.tables.column.{key}.meaning", lang),
        kind=_kind(kind, lang),
    )


def _datatypes(model: GraphModel) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for attribute in model.attributes:
        found.setdefault(attribute.property, set()).add(attribute.datatype)
    return {prop: SEPARATOR.join(sorted(kinds)) for prop, kinds in found.items()}


def _column_field(column: Column, lang: str, datatypes: Mapping[str, str]) -> Field:
    return Field(
        key=column.key,
        header=column.title(lang),
        meaning=column.description(lang),
        kind=_kind(column.kind, lang),
        datatype=datatypes.get(column.property, ""),
        curie=column.curie,
        iri=column.property,
    )


def _labels_field(column: Column, lang: str) -> Field:
    title = column.title(lang)
    return Field(
        key=f"{column.key}_label",
        header=t("exchange.tables.column.label_of.title", lang, title=title),
        meaning=t("exchange.tables.column.label_of.meaning", lang, title=title),
        kind=_kind("label", lang),
    )


def _targets(model: GraphModel, node: str, prop: str) -> list[str]:
    return sorted({edge.object for edge in model.nodes[node].edges.get(prop, [])})


def _table(
    model: GraphModel,
    table: Table,
    lang: str,
    by_key: Mapping[str, Column],
    datatypes: Mapping[str, str],
    provenance: list[str],
) -> Sheet:
    keys = [key for key in table.columns if key not in PROVENANCE] + provenance
    fields = [_export_field("id", lang, kind="identifier")]
    cells: list[tuple[str, bool]] = []  # (property, labels of its targets?)
    for key in keys:
        column = by_key[key]
        fields.append(_column_field(column, lang, datatypes))
        cells.append((column.property, False))
        if column.kind != "value":
            fields.append(_labels_field(column, lang))
            cells.append((column.property, True))

    def cell(node: str, prop: str, labels: bool) -> str:
        if not labels:
            return model.text(node, prop, lang)
        targets = _targets(model, node, prop)
        return SEPARATOR.join(model.label(target, lang) for target in targets)

    rows = tuple(
        (node, *(cell(node, prop, labels) for prop, labels in cells)) for node in table.members
    )
    key = f"{table.key}_table" if table.key in _RESERVED else table.key
    return Sheet(
        key=key,
        title=table.title(lang),
        description=table.description(lang),
        kind=_kind("table", lang),
        fields=_unique_headers(fields),
        rows=rows,
        curie=table.curie,
        iri=table.class_iri,
    )


def _unique_headers(fields: list[Field]) -> tuple[Field, ...]:
    seen: dict[str, int] = {}
    for field in fields:
        seen[field.header.casefold()] = seen.get(field.header.casefold(), 0) + 1
    out = []
    for field in fields:
        if seen[field.header.casefold()] > 1:
            field = Field(
                field.key, f"{field.header} ({field.key})", field.meaning, field.kind,
                field.datatype, field.curie, field.iri,
            )  # fmt: skip
        out.append(field)
    return tuple(out)


def _relations(model: GraphModel, lang: str) -> Sheet:
    columns = model.columns
    yes, no = t("exchange.tables.yes", lang), t("exchange.tables.no", lang)
    keys: tuple[str, ...] = ("subject", "subject_label", "relation", "relation_title")
    keys = (*keys, "property", "object", "object_label", "inferred")
    kinds = ("identifier", "label", "text", "label", "text", "identifier", "label", "text")
    fields = tuple(
        _export_field(key, lang, kind=kind) for key, kind in zip(keys, kinds, strict=True)
    )
    labels: dict[str, str] = {}

    def label(node: str) -> str:
        if node not in labels:
            labels[node] = model.label(node, lang)
        return labels[node]

    rows = tuple(
        (
            edge.subject,
            label(edge.subject),
            columns[edge.property].key,
            columns[edge.property].title(lang),
            columns[edge.property].curie,
            edge.object,
            label(edge.object),
            yes if edge.inferred else no,
        )
        for edge in model.edges
    )
    return Sheet(
        key="relations",
        title=t("exchange.tables.file.relations.title", lang),
        description=t("exchange.tables.file.relations.description", lang),
        kind=_kind("file", lang),
        fields=fields,
        rows=rows,
    )


def _about_nodes(graphs: Graphs, model: GraphModel) -> list[str]:
    found: set[str] = set()
    for graph in _ABOUT_GRAPHS:
        for quad in graphs.get(graph, ()):
            if (
                isinstance(quad.subject, ox.NamedNode)
                and node_id(quad.subject.value) in model.nodes
            ):
                found.add(node_id(quad.subject.value))
    described: set[str] = set()
    for table in model.tables:
        if table.class_iri.startswith(_ABOUT_NAMESPACES):
            described.update(table.members)
        elif table.class_iri == _SOURCE_DOCUMENT:
            found.update(table.members)
    found |= {node.id for node in model.nodes.values() if not node.classes}
    first = [node_id(DATASET)] if node_id(DATASET) in model.nodes else []
    rest = sorted(described - set(first)) + sorted(found - described - set(first))
    return first + rest


def _order(key: str) -> tuple[int, int, str]:
    if key in _FIRST:
        return (0, _FIRST.index(key), key)
    if key in PROVENANCE:
        return (2, PROVENANCE.index(key), key)
    return (1, 0, key)


def _about(graphs: Graphs, model: GraphModel, lang: str, by_key: Mapping[str, Column]) -> Sheet:
    keys = ("node", "node_label", "field", "field_key", "value", "value_label")
    kinds = ("identifier", "label", "text", "text", "text", "label")
    fields = tuple(
        _export_field(key, lang, kind=kind) for key, kind in zip(keys, kinds, strict=True)
    )
    rows: list[tuple[str, ...]] = []
    for node in _about_nodes(graphs, model):
        item = model.nodes[node]
        props = {*item.attributes, *item.edges}
        label = model.label(node, lang)
        for prop in sorted(props, key=lambda p: _order(model.columns[p].key)):
            column = model.columns[prop]
            targets = set(_targets(model, node, prop))
            for value in model.values(node, prop, lang):
                target_label = model.label(value, lang) if value in targets else ""
                rows.append((node, label, column.title(lang), column.key, value, target_label))
    return Sheet(
        key="dataset",
        title=t("exchange.tables.file.dataset.title", lang),
        description=t("exchange.tables.file.dataset.description", lang),
        kind=_kind("file", lang),
        fields=fields,
        rows=tuple(rows),
    )


def _readme(model: GraphModel, lang: str, tables: int) -> str:
    dataset = node_id(DATASET) if node_id(DATASET) in model.nodes else ""

    def value(local: str, namespace: str) -> str:
        prop = PREFIXES[namespace] + local
        if not dataset or prop not in model.columns:
            return ""
        return model.text(dataset, prop, lang)

    unknown = t("exchange.tables.unknown", lang)
    return t(
        "exchange.tables.readme",
        lang,
        title=value("title", "dcterms") or value("label", "rdfs") or "Pipeline Atlas",
        version=value("version", "dcat") or unknown,
        license=value("license", "dcterms") or unknown,
        rights=value("rights", "dcterms"),
        relations=len(model.edges),
        tables=tables,
    )


# -- names -----------------------------------------------------------------------------------------


def csv_names(bundle: Bundle) -> dict[str, str]:
    """Each sheet's key (and ``dictionary``) → its file name in the CSV bundle."""
    names = {sheet.key: f"{sheet.key}.csv" for sheet in bundle.sheets}
    names["dictionary"] = "dictionary.csv"
    return names


def sheet_names(bundle: Bundle) -> dict[str, str]:
    """Each sheet's key (and ``dictionary``) → its sheet name in the workbook: its title without
    the characters Excel refuses, at most 31 characters, unique regardless of case.

    >>> b = Bundle("en", (Sheet("a", "Legal-representation program: long/too", "", "", (), ()),
    ...     Sheet("b", "Legal-representation program: long?too", "", "", (), ())), "", 0, 0)
    >>> sorted(sheet_names(b).values())
    ['Dictionary', 'Legal-representation program 2', 'Legal-representation program lo']
    """
    titles = [(sheet.key, sheet.title) for sheet in bundle.sheets]
    titles.insert(1, ("dictionary", t("exchange.tables.file.dictionary.title", bundle.lang)))
    names: dict[str, str] = {}
    taken: set[str] = set()
    for key, title in titles:
        base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("'") or key
        name = base[:31].strip()
        number = 1
        while name.casefold() in taken:
            number += 1
            suffix = f" {number}"
            name = base[: 31 - len(suffix)].strip() + suffix
        taken.add(name.casefold())
        names[key] = name
    return names


# -- writing ---------------------------------------------------------------------------------------


def write(graphs: Graphs, fmt: str, output: str, *, lang: str) -> ExportResult:
    """Write ``graphs`` as ``fmt`` (``csv``: a folder; ``xlsx``: one workbook) to ``output``,
    in ``lang``; nothing is left at ``output`` when writing fails (:class:`ExportError`)."""
    if fmt not in ("csv", "xlsx"):
        raise ExportError(f"the tables module writes csv and xlsx, not {fmt!r}")
    made = bundle(graphs, lang=lang)
    writer = write_csv if fmt == "csv" else write_xlsx
    outputs = writer(made, Path(output))
    rows = sum(len(sheet.rows) for sheet in made.tables)
    counts = {
        "tables": len(made.tables),
        "rows": rows,
        "nodes": made.nodes,
        "edges": made.edges,
        "relations": len(made.sheet("relations").rows),
    }
    return ExportResult(format=fmt, outputs=outputs, counts=counts)


def _unwritable(fmt: str, path: Path, error: OSError, lang: str) -> ExportError:
    reason = error.strerror or str(error)
    return ExportError(
        t("exchange.tables.error.unwritable", lang, format=fmt, path=path, reason=reason)
    )


def _write_rows(path: Path, fields: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(fields)
        out.writerows(rows)


def write_csv(made: Bundle, output: Path) -> tuple[str, ...]:
    """The CSV bundle of ``made`` in the folder ``output`` (replaced as a whole, atomically):
    ``README.txt``, ``dataset.csv``, ``dictionary.csv``, ``relations.csv`` and one file per
    table. Returns the folder."""
    if output.exists() and not output.is_dir():
        raise ExportError(
            t("exchange.tables.error.not_folder", made.lang, path=output, format="CSV")
        )
    names = csv_names(made)
    dictionary = made.dictionary(names)
    try:
        with atomic_folder(output) as folder:
            (folder / "README.txt").write_text(made.readme, encoding="utf-8")
            for sheet in (dictionary, *made.sheets):
                _write_rows(folder / names[sheet.key], sheet.headers, sheet.rows)
    except OSError as error:
        raise _unwritable("CSV", output, error, made.lang) from error
    return (str(output),)


def write_xlsx(made: Bundle, output: Path) -> tuple[str, ...]:
    """The workbook of ``made`` at ``output`` (replaced atomically): one sheet per file of the
    CSV bundle (About, Dictionary, Relations, then the tables), the header row bold and frozen
    with a filter. Returns the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    names = sheet_names(made)
    dictionary = made.dictionary(names)
    sheets = [made.sheets[0], dictionary, *made.sheets[1:]]
    for sheet in sheets:
        for row in sheet.rows:
            for field, value in zip(sheet.fields, row, strict=True):
                if len(value) > XLSX_CELL_LIMIT:
                    raise ExportError(
                        t("exchange.tables.error.cell_too_long", made.lang, node=row[0],
                          column=field.header, length=len(value), limit=XLSX_CELL_LIMIT)
                    )  # fmt: skip
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        page = book.create_sheet(names[sheet.key])
        page.freeze_panes = "A2"
        for index, field in enumerate(sheet.fields, start=1):
            longest = max([len(field.header)] + [len(row[index - 1]) for row in sheet.rows[:200]])
            letter = _column_letter(index)
            page.column_dimensions[letter].width = min(max(longest, 8) + 2, 60)
        if sheet.fields:
            page.auto_filter.ref = f"A1:{_column_letter(len(sheet.fields))}{len(sheet.rows) + 1}"
        header = []
        for field in sheet.fields:
            cell = WriteOnlyCell(page, value=field.header)
            cell.font = bold
            header.append(cell)
        page.append(header)
        for row in sheet.rows:
            # an empty cell is left out of the file (None), not written as an empty string
            page.append([value if value != "" else None for value in row])
    try:
        with atomic_file(output) as tmp:
            book.save(tmp)
    except OSError as error:
        raise _unwritable("XLSX", output, error, made.lang) from error
    return (str(output),)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


# -- reading back (tests, and partners' scripts) ---------------------------------------------------


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """The rows of one CSV file of the bundle, as header → cell."""
    with Path(path).open(encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))
