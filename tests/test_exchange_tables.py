"""The spreadsheet exports (CSV bundle and XLSX workbook) of the real graph, with the reasoner's
output: every count is checked against an independent SPARQL query over the same quads."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from pipeline_atlas.exchange import ExportError, export, tables
from pipeline_atlas.exchange.model import Column, GraphModel, Table, node_id
from pipeline_atlas.i18n import t
from pipeline_atlas.namespaces import INFERRED_GRAPH, PREFIXES

ONTOLOGY = PREFIXES["pag"] + "ontology/"
DATA = f'FILTER(?g != <{INFERRED_GRAPH}> && !STRSTARTS(STR(?g), "{ONTOLOGY}"))'
"""A named graph ?g that holds asserted data (not the reasoner's, not the ontology's)."""

EDGES = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(!STRSTARTS(STR(?g), "{ONTOLOGY}"))
  FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
  FILTER EXISTS {{ GRAPH ?g1 {{ ?s ?p1 ?x }} FILTER(?g1 != <{INFERRED_GRAPH}> &&
                   !STRSTARTS(STR(?g1), "{ONTOLOGY}")) }}
  FILTER EXISTS {{ GRAPH ?g2 {{ ?o ?p2 ?y }} FILTER(?g2 != <{INFERRED_GRAPH}> &&
                   !STRSTARTS(STR(?g2), "{ONTOLOGY}")) }}
}}"""
"""Links from a described node to a described node, by graph (asserted or inferred)."""


@pytest.fixture(scope="module")
def store(reasoned_graphs: dict[str, list[ox.Quad]]) -> ox.Store:
    """The same quads in a pyoxigraph store, for the independent queries."""
    made = ox.Store()
    made.extend(q for quads in reasoned_graphs.values() for q in quads)
    return made


def select(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    result = store.query(query)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [{n: row[n] for n in names} for row in result]  # type: ignore[union-attr]


def count(store: ox.Store, query: str) -> int:
    (row,) = select(store, query)
    return int(row["n"].value)


def edges_by_sparql(store: ox.Store) -> dict[tuple[str, str, str], bool]:
    """(subject id, property CURIE, object id) → inferred (only the reasoner states it)."""
    found: dict[tuple[str, str, str], bool] = {}
    for row in select(store, EDGES):
        key = (node_id(row["s"].value), node_id(row["p"].value), node_id(row["o"].value))
        inferred = row["g"].value == INFERRED_GRAPH
        found[key] = found.get(key, True) and inferred
    return found


@pytest.fixture(scope="module")
def out(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The CSV bundle in English and in Spanish and the Spanish workbook, written once."""
    folder = tmp_path_factory.mktemp("tables")
    export(reasoned_graphs, format="csv", output=folder / "en.csv", lang="en")
    export(reasoned_graphs, format="csv", output=folder / "es.csv", lang="es")
    export(reasoned_graphs, format="xlsx", output=folder / "es.xlsx", lang="es")
    yield folder


def dictionary(folder: Path) -> list[dict[str, str]]:
    return tables.read_csv(folder / "dictionary.csv")


def table_files(folder: Path, lang: str) -> dict[str, str]:
    """File name → class IRI, from the dictionary's rows that describe a file."""
    rows = dictionary(folder)
    header = {key: t(f"exchange.tables.column.{key}.title", lang) for key in ("file", "column")}
    iri = t("exchange.tables.column.iri.title", lang)
    return {
        row[header["file"]]: row[iri] for row in rows if row[header["column"]] == "" and row[iri]
    }


def test_one_file_per_asserted_class_with_its_members(out: Path, store: ox.Store) -> None:
    classes = select(
        store, f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {DATA} FILTER isIRI(?s) }}"
    )
    files = table_files(out / "en.csv", "en")
    assert sorted(files.values()) == sorted(row["c"].value for row in classes)
    id_header = t("exchange.tables.column.id.title", "en")
    for name, cls in files.items():
        rows = tables.read_csv(out / "en.csv" / name)
        members = select(
            store, f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} {DATA} }}"
        )
        expected = count(
            store,
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} {DATA} }}",
        )
        assert len(rows) == expected, name
        assert sorted(r[id_header] for r in rows) == sorted(node_id(m["s"].value) for m in members)


def test_relations_are_every_edge(
    out: Path, store: ox.Store, reasoned_graphs: dict[str, list[ox.Quad]]
) -> None:
    expected = edges_by_sparql(store)
    model = GraphModel.from_graphs(reasoned_graphs)
    for lang in ("en", "es"):
        rows = tables.read_csv(out / f"{lang}.csv" / "relations.csv")
        assert len(rows) == len(model.edges) == len(expected)
        head = {
            k: t(f"exchange.tables.column.{k}.title", lang)
            for k in ("subject", "property", "object", "inferred")
        }
        yes = t("exchange.tables.yes", lang)
        got = {
            (r[head["subject"]], r[head["property"]], r[head["object"]]): r[head["inferred"]] == yes
            for r in rows
        }
        assert got == expected
    assert any(expected.values()), "the reasoner's graph adds links"


def test_every_node_is_a_row(out: Path, store: ox.Store) -> None:
    nodes = {
        node_id(row["s"].value)
        for row in select(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {DATA} }}")
    }
    id_header = t("exchange.tables.column.id.title", "en")
    seen = set()
    for name in table_files(out / "en.csv", "en"):
        seen |= {row[id_header] for row in tables.read_csv(out / "en.csv" / name)}
    # the nodes without a class (the VoID class partitions) are described in dataset.csv
    about = tables.read_csv(out / "en.csv" / "dataset.csv")
    described = {row[t("exchange.tables.column.node.title", "en")] for row in about}
    untyped = select(
        store,
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {DATA}
        FILTER NOT EXISTS {{ GRAPH ?g1 {{ ?s a ?c }} {DATA.replace("?g", "?g1")} }} }}""",
    )
    assert {node_id(row["s"].value) for row in untyped} <= described
    assert seen | described == nodes


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_dictionary_explains_every_column_of_every_file(out: Path, lang: str) -> None:
    folder = out / f"{lang}.csv"
    rows = dictionary(folder)
    head = {
        k: t(f"exchange.tables.column.{k}.title", lang)
        for k in ("file", "column", "key", "meaning")
    }
    described: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        assert row[head["meaning"]].strip(), row
        described.setdefault(row[head["file"]], {})[row[head["column"]]] = row
    files = sorted(p.name for p in folder.glob("*.csv"))
    assert sorted(described) == files
    for name in files:
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline().rstrip("\r\n")
        columns = next(csv.reader([header]))
        assert len(set(columns)) == len(columns), name
        assert sorted(c for c in described[name] if c) == sorted(columns), name
        assert "" in described[name], f"{name} has no row describing the file"
    # every table ends with the provenance columns (where the graph uses them at all)
    for name in table_files(folder, lang):
        keys = [described[name][c][head["key"]] for c in described[name] if c]
        provenance = [k for k in keys if k in tables.PROVENANCE]
        assert provenance == list(tables.PROVENANCE), name


def test_every_file_starts_with_a_byte_order_mark(out: Path) -> None:
    for path in (out / "es.csv").glob("*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_spanish_headers_and_labels(out: Path, store: ox.Store) -> None:
    es = table_files(out / "es.csv", "es")
    county = next(name for name, cls in es.items() if cls == PREFIXES["pa"] + "County")
    rows = tables.read_csv(out / "es.csv" / county)
    english = tables.read_csv(out / "en.csv" / county)
    label_es = t("exchange.term.rdfs_label.label", "es")
    assert label_es in rows[0] and label_es not in english[0]
    by_id = {row["id"]: row for row in rows}
    (expected,) = select(
        store,
        f"""SELECT ?l WHERE {{ GRAPH ?g {{ <{PREFIXES["paid"]}jurisdiction/los-angeles-county>
        <http://www.w3.org/2000/01/rdf-schema#label> ?l }} FILTER(LANG(?l) = "es") }}""",
    )
    assert by_id["jurisdiction/los-angeles-county"][label_es] == expected["l"].value
    assert expected["l"].value == "Condado de Los Ángeles"


def test_the_about_file_reads_the_dataset_description(out: Path, store: ox.Store) -> None:
    rows = tables.read_csv(out / "en.csv" / "dataset.csv")
    head = {k: t(f"exchange.tables.column.{k}.title", "en") for k in ("field_key", "value")}
    got = {(row[head["field_key"]], row[head["value"]]) for row in rows}
    for key, prop in (("version", "dcat:version"), ("license", "dcterms:license")):
        (row,) = select(
            store,
            f"""PREFIX dcat: <{PREFIXES["dcat"]}> PREFIX dcterms: <{PREFIXES["dcterms"]}>
            SELECT ?v WHERE {{ GRAPH ?g {{ <{PREFIXES["paid"]}dataset> {prop} ?v }} }}""",
        )
        assert (key, row["v"].value) in got


def test_the_workbook_has_the_bundle_s_content(out: Path) -> None:
    book = openpyxl.load_workbook(out / "es.xlsx", read_only=True)
    dictionary_sheet = t("exchange.tables.file.dictionary.title", "es")
    entries = list(book[dictionary_sheet].iter_rows(min_row=2, values_only=True))
    files = {row[0]: row[2] for row in entries if not row[1]}  # sheet name → key
    assert sorted(files) == sorted(book.sheetnames)
    assert len(files) == len(list((out / "es.csv").glob("*.csv")))
    assert all(len(name) <= 31 for name in book.sheetnames)
    for sheet, key in files.items():
        path = out / "es.csv" / f"{key}.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header, *csv_rows = list(csv.reader(handle))
        values = list(book[sheet].iter_rows(values_only=True))
        assert list(values[0]) == header, sheet
        assert len(values) - 1 == len(csv_rows), sheet
        if key != "dictionary":  # the dictionary names sheets there, files here
            # empty cells are not written, so a row read back may stop at its last value
            width = len(header)
            padded = [[v or "" for v in row] + [""] * (width - len(row)) for row in values[1:]]
            assert padded == csv_rows, sheet
    book.close()
    full = openpyxl.load_workbook(out / "es.xlsx")
    for page in full.worksheets:
        assert page.freeze_panes == "A2"
        assert all(cell.font.b for cell in page[1])


def test_a_failed_csv_export_leaves_nothing(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    written: list[Path] = []
    real = tables._write_rows

    def fail_on_third(path: Path, fields, rows) -> None:  # type: ignore[no-untyped-def]
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, fields, rows)

    monkeypatch.setattr(tables, "_write_rows", fail_on_third)
    with pytest.raises(ExportError, match="No space left on device"):
        export(reasoned_graphs, format="csv", output=target)
    assert list(tmp_path.iterdir()) == []
    # an earlier export at the same place stays as it was
    monkeypatch.setattr(tables, "_write_rows", real)
    export(reasoned_graphs, format="csv", output=target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    written.clear()
    monkeypatch.setattr(tables, "_write_rows", fail_on_third)
    with pytest.raises(ExportError):
        export(reasoned_graphs, format="csv", output=target, lang="es")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_xlsx_export_leaves_nothing(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = openpyxl.Workbook.save

    def fail(self: openpyxl.Workbook, filename: str) -> None:
        real(self, filename)  # the whole workbook is written, then the disk fails
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    with pytest.raises(ExportError, match="Input/output error"):
        export(reasoned_graphs, format="xlsx", output=tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_the_bundle_goes_is_refused(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    with pytest.raises(ExportError, match="is a file"):
        export(reasoned_graphs, format="csv", output=target)
    assert target.read_text() == "keep me"


def test_every_column_and_table_has_titles_and_meanings_in_both_languages(
    reasoned_graphs: dict[str, list[ox.Quad]],
) -> None:
    """The ontology's labels and definitions, or for other vocabularies' terms the message
    catalogue's (``exchange.term.*``): none is missing."""
    model = GraphModel.from_graphs(reasoned_graphs)
    items: list[Column | Table] = [*model.columns.values(), *model.tables]
    missing = [
        (item.curie, lang)
        for item in items
        for lang in ("en", "es")
        if not item.titles.get(lang) or not item.descriptions.get(lang)
    ]
    assert missing == []
