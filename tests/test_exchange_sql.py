"""The SQLite export (pipeline_atlas.exchange.sql): the graph's counts, keys declared and
enforced, the data dictionary and dataset description read from the graph, a failed export
that leaves nothing, and the headline question in SQL answering exactly as the SPARQL one
(per stage, per city, in English and Spanish).

PostgreSQL: tests/integration/test_sql_postgres.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.build.load import graphs_of
from pipeline_atlas.exchange import ExportError, export
from pipeline_atlas.exchange import sql as exsql
from pipeline_atlas.namespaces import PREFIXES
from sqltools import (
    CITIES,
    CITY_COLUMNS,
    STAGE_COLUMNS,
    graph_counts,
    same_rows,
    sparql_rows,
    sql_rows,
    store_of,
)

Graphs = dict[str, list[ox.Quad]]


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[Atlas, Graphs]]:
    """The real graph in memory (no reasoner) and its named graphs."""
    atlas = Atlas.build(reason=False)
    yield atlas, dict(graphs_of(atlas.store))
    atlas.close()


@pytest.fixture(scope="module")
def exported(built: tuple[Atlas, Graphs], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite export of the graph, labels in English."""
    path = tmp_path_factory.mktemp("sql") / "atlas.sqlite"
    result = export(built[1], format="sqlite", output=path, lang="en")
    assert result.outputs == (str(path),)
    return path


@pytest.fixture
def db(exported: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{exported}?mode=ro", uri=True)
    yield connection
    connection.close()


def scalar(db: sqlite3.Connection, query: str, *args: Any) -> Any:
    return db.execute(query, args).fetchone()[0]


# -- counts and keys ---------------------------------------------------------------------------


def test_the_export_has_the_graphs_counts(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection
) -> None:
    expected = graph_counts(built[1])
    assert scalar(db, 'SELECT COUNT(*) FROM "node"') == expected["nodes"]
    assert scalar(db, 'SELECT COUNT(*) FROM "relation"') == expected["relations"]
    assert scalar(db, 'SELECT COUNT(*) FROM "relation" WHERE "inferred"') == 0
    assert expected["inferred_relations"] == 0  # no reasoner in this build
    assert scalar(db, 'SELECT COUNT(*) FROM "attribute"') == expected["attributes"]
    assert scalar(db, 'SELECT COUNT(*) FROM "node_class"') == expected["node_classes"]
    tables = dict(
        db.execute('SELECT "iri", "table_name" FROM "class" WHERE "table_name" IS NOT NULL')
    )
    assert set(tables) == set(expected["classes"])
    for iri, members in expected["classes"].items():
        assert scalar(db, f'SELECT COUNT(*) FROM "{tables[iri]}"') == members, iri


def test_every_label_and_both_languages_are_kept(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection
) -> None:
    store = store_of(built[1])
    for lang in ("en", "es"):
        query = (
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s "
            f"<http://www.w3.org/2000/01/rdf-schema#label> ?o }} FILTER(lang(?o) = '{lang}' && "
            f'!STRSTARTS(STR(?g), "{PREFIXES["pag"]}ontology/")) }} }} }}'
        )
        expected = int(next(iter(store.query(query)))["n"].value)  # type: ignore[arg-type,index]
        found = scalar(
            db,
            'SELECT COUNT(*) FROM "attribute" WHERE "property" = \'label\' AND "language" = ?',
            lang,
        )
        assert found == expected > 0


def test_keys_are_declared_and_hold(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, row[3], row[2])
        for table in ("node_class", "relation", "attribute", "city", "stage")
        for row in db.execute(f'PRAGMA foreign_key_list("{table}")')
    }
    assert {
        ("node_class", "node", "node"),
        ("node_class", "class", "class"),
        ("relation", "subject", "node"),
        ("relation", "object", "node"),
        ("relation", "property", "property"),
        ("attribute", "subject", "node"),
        ("attribute", "property", "property"),
        ("city", "id", "node"),
        ("stage", "id", "node"),
    } <= declared
    primary = [row[1] for row in db.execute('PRAGMA table_info("relation")') if row[5]]
    assert primary == ["subject", "property", "object"]


def test_foreign_keys_are_enforced(exported: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(exported.read_bytes())
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            'INSERT INTO "relation" VALUES '
            "('stage/police-stop', 'next_stage', 'stage/nowhere', 0)"
        )
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute('INSERT INTO "stage" ("id") VALUES (\'stage/nowhere\')')
    connection.close()


def test_the_data_dictionary_has_the_ontologys_words(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection
) -> None:
    store = store_of(built[1])
    words = {
        (str(row["t"].value), str(row["l"].value)): str(row["v"].value)
        for row in store.query(  # type: ignore[union-attr]
            "SELECT ?t ?v (lang(?v) AS ?l) WHERE { GRAPH ?g { ?t "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?v } "
            f'FILTER(STRSTARTS(STR(?g), "{PREFIXES["pag"]}ontology/")) }}'
        )
    }
    rows = db.execute(
        'SELECT "iri", "title_en", "title_es" FROM "property" UNION ALL '
        'SELECT "iri", "title_en", "title_es" FROM "class"'
    ).fetchall()
    pa_terms = [row for row in rows if row[0].startswith(PREFIXES["pa"])]
    assert len(pa_terms) > 40
    for iri, title_en, title_es in pa_terms:
        assert (title_en, title_es) == (words[(iri, "en")], words[(iri, "es")]), iri


def test_the_dataset_description_is_read_from_the_graph(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection
) -> None:
    store = store_of(built[1])
    dataset = PREFIXES["paid"] + "dataset"
    expected = {
        str(row["v"].value)
        for row in store.query(  # type: ignore[union-attr]
            f"SELECT ?v WHERE {{ <{dataset}> <http://www.w3.org/ns/dcat#version> ?v }}",
            use_default_graph_as_union=True,
        )
    }
    found = {
        row[0]
        for row in db.execute(
            'SELECT "value" FROM "dataset" WHERE "node" = \'dataset\' AND "property" = \'version\''
        )
    }
    assert found == expected and len(found) == 1
    statements = int(
        next(
            iter(
                store.query(  # type: ignore[arg-type]
                    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { "
                    "?s a ?c ; ?p ?o . FILTER(?c IN (<http://www.w3.org/ns/dcat#Dataset>, "
                    "<http://rdfs.org/ns/void#Dataset>, <http://www.w3.org/ns/dcat#Distribution>, "
                    "<http://www.w3.org/ns/dcat#Catalog>) && ?p != "
                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) } } }",
                    use_default_graph_as_union=True,
                )
            )
        )["n"].value  # type: ignore[index]
    )
    assert scalar(db, 'SELECT COUNT(*) FROM "dataset"') == statements


def test_labels_in_the_chosen_language(built: tuple[Atlas, Graphs], tmp_path: Path) -> None:
    path = tmp_path / "es.sqlite"
    export(built[1], format="sqlite", output=path, lang="es")
    connection = sqlite3.connect(path)
    label = connection.execute('SELECT "label" FROM "node" WHERE "id" = \'stage/police-stop\'')
    stage_table = connection.execute(
        'SELECT "label" FROM "stage" WHERE "id" = \'stage/police-stop\''
    )
    info = dict(connection.execute('SELECT "key", "value" FROM "export_info"'))
    store = store_of(built[1])
    spanish = [
        str(row["l"].value)
        for row in store.query(  # type: ignore[union-attr]
            f"SELECT ?l WHERE {{ <{PREFIXES['paid']}stage/police-stop> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = 'es') }",
            use_default_graph_as_union=True,
        )
    ]
    assert [label.fetchone()[0]] == [stage_table.fetchone()[0]] == spanish
    assert info["label_language"] == "es"
    connection.close()


def test_a_failed_export_leaves_the_old_file(
    built: tuple[Atlas, Graphs], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "atlas.sqlite"
    target.write_bytes(b"the partner's previous export")
    original = exsql.Schema.from_graphs

    def broken(graphs: Any, *, lang: str) -> exsql.Schema:
        schema = original(graphs, lang=lang)
        schema.table("relation").rows.append(("stage/police-stop", "next_stage", "nowhere", False))
        return schema

    monkeypatch.setattr(exsql.Schema, "from_graphs", broken)
    with pytest.raises(ExportError, match="SQLite export failed"):
        export(built[1], format="sqlite", output=target)
    assert target.read_bytes() == b"the partner's previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.sqlite"]


def test_the_postgres_script_escapes_and_is_one_transaction(
    built: tuple[Atlas, Graphs], tmp_path: Path
) -> None:
    path = tmp_path / "atlas.sql"
    result = export(built[1], format="postgres-sql", output=path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines.count("BEGIN;") == 1 and lines[-1] == "COMMIT;"
    assert "\\set ON_ERROR_STOP on" in lines
    copies = [line for line in lines if line.startswith("COPY ")]
    assert len(copies) == result.counts["tables"]
    # every row of every COPY block has as many fields as its table has columns
    schema = exsql.Schema.from_graphs(built[1], lang="en")
    rows = sum(len(table.rows) for table in schema.tables)
    assert rows == result.counts["rows"]
    data_lines = 0
    inside: list[str] | None = None
    for line in lines:
        if line.startswith("COPY "):
            inside = line[line.index("(") + 1 : line.index(")")].split(", ")
            continue
        if inside is not None:
            if line == "\\.":
                inside = None
                continue
            assert len(line.split("\t")) == len(inside), line[:80]
            data_lines += 1
    assert data_lines == rows


# -- the headline question -------------------------------------------------------------------


def test_headline_queries_load_for_both_dialects() -> None:
    for name, params in (("headline-by-stage", ("lang",)), ("headline-by-city", ("city", "lang"))):
        lite = exsql.headline_query(name, "sqlite")
        pg = exsql.headline_query(name, "postgres")
        assert lite.params == pg.params == params
        assert lite.sql.count("?") == len(params) and "%s" not in lite.sql
        assert pg.sql.count("%s") == len(params) and "?" not in pg.sql
        assert lite.metadata["same_as"].startswith("cq-0")
        assert {"summary", "summary_es", "question", "question_es"} <= set(lite.metadata)
    with pytest.raises(ExportError, match="headline-by-city"):
        exsql.headline_query("headline-by-town")
    with pytest.raises(ExportError, match="unknown parameter"):
        exsql.headline_query("headline-by-city").args(town="oakland")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_headline_by_stage_equals_the_sparql_answer(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection, lang: str
) -> None:
    query = exsql.headline_query("headline-by-stage")
    sparql = sparql_rows(built[0], query.metadata["same_as"], STAGE_COLUMNS, lang=lang)
    sql = sql_rows(db.execute(query.sql, query.args(lang=lang)).fetchall())
    assert len(sparql) >= 4  # every stage at least once
    assert same_rows(sparql, sql), sorted(set(sparql) ^ set(sql), key=str)


def test_the_places_chosen_are_what_they_claim(db: sqlite3.Connection) -> None:
    chain = db.execute(
        'SELECT p."subject" FROM "relation" p JOIN "relation" s ON s."subject" = p."object"'
        " AND s.\"property\" = 'sub_organization_of' WHERE p.\"property\" = 'has_police_provider'"
    )
    assert {"jurisdiction/sonoma", "jurisdiction/windsor", "jurisdiction/santa-fe-springs"} <= {
        row[0] for row in chain
    }
    for place in ("agoura-hills", "adelanto"):
        assert (
            scalar(
                db,
                'SELECT COUNT(*) FROM "relation" WHERE "subject" = ? '
                "AND \"property\" = 'has_police_provider'",
                f"jurisdiction/{place}",
            )
            == 0
        )
        assert (
            scalar(db, 'SELECT COUNT(*) FROM "city" WHERE "id" = ?', f"jurisdiction/{place}") == 1
        )
    assert (
        scalar(db, 'SELECT COUNT(*) FROM "node" WHERE "id" = \'jurisdiction/nowhere-at-all\'') == 0
    )


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("city", CITIES)
def test_headline_by_city_equals_the_sparql_answer(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection, city: str, lang: str
) -> None:
    query = exsql.headline_query("headline-by-city")
    sparql = sparql_rows(built[0], query.metadata["same_as"], CITY_COLUMNS, city=city, lang=lang)
    sql = sql_rows(
        db.execute(query.sql, query.args(city=f"jurisdiction/{city}", lang=lang)).fetchall()
    )
    if city != "nowhere-at-all":
        assert len(sparql) >= 9  # every flow at least once
    assert same_rows(sparql, sql), sorted(set(sparql) ^ set(sql), key=str)


# -- with the reasoner's output ----------------------------------------------------------------


@pytest.fixture(scope="module")
def reasoned(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Atlas, Graphs, Path]]:
    """The graph with the reasoner's output (``pag:inferred``), in an embedded store, and its
    SQLite export."""
    from pipeline_atlas.store.embedded import EmbeddedStore

    store = EmbeddedStore()
    store.replace_graphs(reasoned_graphs)
    atlas = Atlas(store)
    path = tmp_path_factory.mktemp("sql-reasoned") / "atlas.sqlite"
    export(reasoned_graphs, format="sqlite", output=path)
    yield atlas, reasoned_graphs, path
    atlas.close()


@pytest.mark.slow  # the reasoner (Java/HermiT), once per session
def test_the_reasoners_statements_are_counted_and_marked(
    reasoned: tuple[Atlas, Graphs, Path],
) -> None:
    _, graphs, path = reasoned
    expected = graph_counts(graphs)
    connection = sqlite3.connect(path)
    assert scalar(connection, 'SELECT COUNT(*) FROM "node"') == expected["nodes"]
    assert scalar(connection, 'SELECT COUNT(*) FROM "relation"') == expected["relations"]
    inferred = scalar(connection, 'SELECT COUNT(*) FROM "relation" WHERE "inferred"')
    assert inferred == expected["inferred_relations"] > 0
    assert scalar(connection, 'SELECT COUNT(*) FROM "attribute"') == expected["attributes"]
    assert scalar(connection, 'SELECT COUNT(*) FROM "node_class"') == expected["node_classes"]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


@pytest.mark.slow  # the reasoner (Java/HermiT), once per session
@pytest.mark.parametrize("lang", ["en", "es"])
def test_headline_with_the_reasoners_statements(
    reasoned: tuple[Atlas, Graphs, Path], lang: str
) -> None:
    atlas, _, path = reasoned
    connection = sqlite3.connect(path)
    query = exsql.headline_query("headline-by-stage")
    sparql = sparql_rows(atlas, query.metadata["same_as"], STAGE_COLUMNS, lang=lang)
    sql = sql_rows(connection.execute(query.sql, query.args(lang=lang)).fetchall())
    assert same_rows(sparql, sql), sorted(set(sparql) ^ set(sql), key=str)
    query = exsql.headline_query("headline-by-city")
    for city in CITIES:
        sparql = sparql_rows(atlas, query.metadata["same_as"], CITY_COLUMNS, city=city, lang=lang)
        args = query.args(city=f"jurisdiction/{city}", lang=lang)
        sql = sql_rows(connection.execute(query.sql, args).fetchall())
        assert same_rows(sparql, sql), (city, sorted(set(sparql) ^ set(sql), key=str))
    connection.close()


@pytest.mark.slow  # every place: about a minute
def test_headline_by_city_for_every_place(
    built: tuple[Atlas, Graphs], db: sqlite3.Connection
) -> None:
    store = store_of(built[1])
    base = PREFIXES["paid"] + "jurisdiction/"
    iris = [
        str(row["p"].value)
        for row in store.query(  # type: ignore[union-attr]
            f"SELECT DISTINCT ?p WHERE {{ ?p <{PREFIXES['pa']}inCounty> ?c }}",
            use_default_graph_as_union=True,
        )
    ]
    assert len(iris) > 500 and all(iri.startswith(base) for iri in iris)
    places = sorted(iri.removeprefix(base) for iri in iris)
    query = exsql.headline_query("headline-by-city")
    differ = []
    for city in places:
        sparql = sparql_rows(built[0], query.metadata["same_as"], CITY_COLUMNS, city=city)
        sql = sql_rows(db.execute(query.sql, query.args(city=f"jurisdiction/{city}")).fetchall())
        if not same_rows(sparql, sql):
            differ.append(city)
    assert differ == []
