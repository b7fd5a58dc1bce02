"""The graph as a relational database: a SQLite file, a PostgreSQL script (``psql -f``) or a
direct load into a PostgreSQL server, all with one schema.

The schema (the same DDL text on both dialects; every identifier quoted):

* ``property`` and ``class``: the data dictionary, one row per property / class: ``key`` (the
  stable snake_case name used everywhere below), CURIE, IRI, title and description in English
  and Spanish; ``class.table_name`` names the class's table (``NULL`` for a class that only the
  reasoner states).
* ``node``: every node (``id`` primary key, ``iri`` unique, ``label`` in the export's language).
* ``node_class``: node → class key (``inferred`` when only the reasoner states it).
* one table per asserted class (``city``, ``stage``, ``information_flow``…): ``id`` (primary
  key, a foreign key to ``node``) and one text column per property its members use, in the
  export's language, several values joined with `` | `` (as the spreadsheets have them).
* ``relation``: node → property → node, ``inferred`` when only the reasoner states it; primary
  key over the three.
* ``attribute``: every other statement (literals in every language, with their language and
  datatype; IRIs that are not nodes have the datatype ``iri``), so nothing is lost.
* ``dataset`` (a view): what the graph says about the dataset itself (DCAT/VoID: version,
  licence, sources, triple counts), read from the graph.
* ``export_info``: the export's label language and schema version.

Every foreign key is declared and enforced (SQLite loads with ``PRAGMA foreign_keys=ON`` and
checks ``PRAGMA foreign_key_check``; PostgreSQL checks them as it loads). A load is one
transaction: a failed one leaves nothing (the SQLite file is written beside the target and
renamed; a PostgreSQL load rolls back).

The headline question in SQL (``queries/sql/*.sql``) is read with :func:`headline_query`.

>>> import pyoxigraph as ox
>>> from pipeline_atlas.namespaces import PREFIXES
>>> g = "https://w3id.org/pipeline-atlas/graph/graph_data/x"
>>> ID, PA = PREFIXES["paid"], PREFIXES["pa"]
>>> quads = [ox.Quad(ox.NamedNode(ID + "stage/a"), ox.NamedNode(RDF_TYPE),
...                  ox.NamedNode(PA + "Stage"), ox.NamedNode(g))]
>>> schema = Schema.from_graphs({g: quads}, lang="en")
>>> [table.name for table in schema.tables]
['export_info', 'property', 'class', 'node', 'node_class', 'relation', 'attribute', 'stage']
>>> schema.table("node").rows
[('stage/a', 'https://w3id.org/pipeline-atlas/id/stage/a', None)]
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from ..i18n import t
from ..namespaces import INFERRED_GRAPH
from ..paths import ProjectPaths, product_paths, project_paths
from . import ExportError, ExportResult, Graphs
from .files import atomic_file
from .model import (
    DEFINITION,
    LABEL,
    RDF_TYPE,
    GraphModel,
    curie_of,
    node_id,
    table_key,
)

__all__ = [
    "SCHEMA_VERSION",
    "HeadlineQuery",
    "Schema",
    "SqlTable",
    "copy_text",
    "ddl",
    "headline_query",
    "postgres_script",
    "write",
    "write_postgres",
    "write_sqlite",
]

SCHEMA_VERSION = "1"
"""The version of the schema below (``export_info.schema_version``)."""

_FIXED = ("export_info", "property", "class", "node", "node_class", "relation", "attribute")
_VIEWS = ("dataset",)
_INDEXES = (
    'CREATE INDEX "attribute_subject" ON "attribute" ("subject", "property")',
    'CREATE INDEX "relation_object" ON "relation" ("object", "property")',
    'CREATE INDEX "node_class_class" ON "node_class" ("class")',
)
"""Indexes for lookups by subject and property, and backwards along relations (the primary
keys index the rest); created after the rows are loaded."""
_DATASET_CLASSES = ("dcat_dataset", "void_dataset", "dcat_distribution", "dcat_catalog")


@dataclass(frozen=True)
class SqlTable:
    """One table: its name, ``columns`` as (name, type, constraint) triples, table constraints
    (keys) and rows (tuples in column order; ``None`` is NULL)."""

    name: str
    columns: tuple[tuple[str, str, str], ...]
    constraints: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list, compare=False)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(name for name, _, _ in self.columns)

    def create(self) -> str:
        """``CREATE TABLE`` for both SQLite and PostgreSQL."""
        parts = [
            f"  {_q(name)} {kind}{' ' + extra if extra else ''}"
            for name, kind, extra in self.columns
        ]
        parts += [f"  {constraint}" for constraint in self.constraints]
        return f"CREATE TABLE {_q(self.name)} (\n" + ",\n".join(parts) + "\n)"


def _q(name: str) -> str:
    """A quoted SQL identifier.

    >>> _q('class'), _q('a"b')
    ('"class"', '"a""b"')
    """
    return '"' + name.replace('"', '""') + '"'


def _dataset_view() -> str:
    classes = ", ".join(f"'{key}'" for key in _DATASET_CLASSES)
    about = f'SELECT "node" FROM "node_class" WHERE "class" IN ({classes})'
    return (
        'CREATE VIEW "dataset" AS\n'
        'SELECT "subject" AS "node", "property", "value", "language", "datatype"\n'
        f'FROM "attribute" WHERE "subject" IN ({about})\n'
        "UNION ALL\n"
        'SELECT "subject", "property", "object", \'\', \'node\'\n'
        f'FROM "relation" WHERE "subject" IN ({about})'
    )


@dataclass
class Schema:
    """The tables of an export (in load order: every foreign key points at an earlier table)
    and the language of its labels."""

    lang: str
    tables: list[SqlTable]

    def table(self, name: str) -> SqlTable:
        """The table called ``name`` (``KeyError`` when none)."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    @property
    def class_tables(self) -> list[SqlTable]:
        """The tables of the classes."""
        return [table for table in self.tables if table.name not in _FIXED]

    def counts(self) -> dict[str, int]:
        """Rows of ``node``, ``relation``, ``attribute``, ``node_class`` and of every table."""
        counts = {
            "nodes": len(self.table("node").rows),
            "relations": len(self.table("relation").rows),
            "attributes": len(self.table("attribute").rows),
            "node_classes": len(self.table("node_class").rows),
            "tables": len(self.tables),
        }
        counts["rows"] = sum(len(table.rows) for table in self.tables)
        return counts

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def from_graphs(cls, graphs: Graphs, *, lang: str) -> Schema:
        """The schema and rows of ``graphs`` (see :class:`~.model.GraphModel`), labels in
        ``lang``."""
        model = GraphModel.from_graphs(graphs)
        term = _term_texts(graphs)

        def nul(value: str) -> str | None:
            return value or None

        def texts(iri: str, prop: str) -> list[str | None]:
            return [nul(term.get((iri, prop, language), "")) for language in ("en", "es")]

        properties = SqlTable(
            "property",
            (
                ("key", "TEXT", "PRIMARY KEY"),
                ("curie", "TEXT", "NOT NULL UNIQUE"),
                ("iri", "TEXT", "NOT NULL UNIQUE"),
                ("kind", "TEXT", "NOT NULL"),
                ("title_en", "TEXT", ""),
                ("title_es", "TEXT", ""),
                ("description_en", "TEXT", ""),
                ("description_es", "TEXT", ""),
            ),
            (),
        )
        for column in model.columns.values():
            properties.rows.append(
                (
                    column.key,
                    column.curie,
                    column.property,
                    column.kind,
                    nul(column.titles.get("en", "")),
                    nul(column.titles.get("es", "")),
                    nul(column.descriptions.get("en", "")),
                    nul(column.descriptions.get("es", "")),
                )
            )
        key_of = {column.property: column.key for column in model.columns.values()}

        # classes: the model's tables, then the classes only the reasoner gives a node
        table_names: dict[str, str] = {}
        class_key: dict[str, str] = {}
        class_rows: dict[str, tuple[Any, ...]] = {}
        for table in model.tables:
            name = table.key if table.key not in _FIXED + _VIEWS else f"{table.key}_rows"
            table_names[table.key] = name
            class_key[table.class_iri] = table.key
            class_rows[table.key] = (
                table.key,
                table.curie,
                table.class_iri,
                name,
                nul(table.titles.get("en", "")),
                nul(table.titles.get("es", "")),
                nul(table.descriptions.get("en", "")),
                nul(table.descriptions.get("es", "")),
            )
        inferred_types: set[tuple[str, str]] = set()
        for quad in graphs.get(INFERRED_GRAPH, ()):
            subject, obj = quad.subject, quad.object
            if (
                quad.predicate.value == RDF_TYPE
                and isinstance(subject, ox.NamedNode)
                and isinstance(obj, ox.NamedNode)
                and node_id(subject.value) in model.nodes
                and model.nodes[node_id(subject.value)].iri == subject.value
            ):
                inferred_types.add((node_id(subject.value), obj.value))
        for _, iri in sorted(inferred_types):
            if iri in class_key:
                continue
            curie = curie_of(iri)
            key = table_key(iri)
            while key in class_rows:
                key += "_"
            class_key[iri] = key
            class_rows[key] = (key, curie, iri, None, *texts(iri, LABEL), *texts(iri, DEFINITION))
        classes = SqlTable(
            "class",
            (
                ("key", "TEXT", "PRIMARY KEY"),
                ("curie", "TEXT", "NOT NULL UNIQUE"),
                ("iri", "TEXT", "NOT NULL UNIQUE"),
                ("table_name", "TEXT", "UNIQUE"),
                ("title_en", "TEXT", ""),
                ("title_es", "TEXT", ""),
                ("description_en", "TEXT", ""),
                ("description_es", "TEXT", ""),
            ),
            (),
            [class_rows[key] for key in sorted(class_rows)],
        )

        nodes = SqlTable(
            "node",
            (
                ("id", "TEXT", "PRIMARY KEY"),
                ("iri", "TEXT", "NOT NULL UNIQUE"),
                ("label", "TEXT", ""),
            ),
            (),
            [(n.id, n.iri, nul(model.text(n.id, LABEL, lang))) for n in model.nodes.values()],
        )
        typed: dict[tuple[str, str], bool] = {}
        for node in model.nodes.values():
            for iri in node.classes:
                typed[(node.id, class_key[iri])] = False
        for member, iri in inferred_types:
            typed.setdefault((member, class_key[iri]), True)
        node_class = SqlTable(
            "node_class",
            (
                ("node", "TEXT", 'NOT NULL REFERENCES "node" ("id")'),
                ("class", "TEXT", 'NOT NULL REFERENCES "class" ("key")'),
                ("inferred", "BOOLEAN", "NOT NULL"),
            ),
            ('PRIMARY KEY ("node", "class")',),
            [(n, c, inferred) for (n, c), inferred in sorted(typed.items())],
        )
        relation = SqlTable(
            "relation",
            (
                ("subject", "TEXT", 'NOT NULL REFERENCES "node" ("id")'),
                ("property", "TEXT", 'NOT NULL REFERENCES "property" ("key")'),
                ("object", "TEXT", 'NOT NULL REFERENCES "node" ("id")'),
                ("inferred", "BOOLEAN", "NOT NULL"),
            ),
            ('PRIMARY KEY ("subject", "property", "object")',),
            [(e.subject, key_of[e.property], e.object, e.inferred) for e in model.edges],
        )
        attribute = SqlTable(
            "attribute",
            (
                ("id", "INTEGER", "PRIMARY KEY"),
                ("subject", "TEXT", 'NOT NULL REFERENCES "node" ("id")'),
                ("property", "TEXT", 'NOT NULL REFERENCES "property" ("key")'),
                ("value", "TEXT", "NOT NULL"),
                ("language", "TEXT", "NOT NULL"),
                ("datatype", "TEXT", "NOT NULL"),
            ),
            (),
            [
                (number, a.subject, key_of[a.property], a.value, a.language, a.datatype)
                for number, a in enumerate(model.attributes, start=1)
            ],
        )
        info = SqlTable(
            "export_info",
            (("key", "TEXT", "PRIMARY KEY"), ("value", "TEXT", "NOT NULL")),
            (),
            [("label_language", lang), ("schema_version", SCHEMA_VERSION)],
        )
        tables = [info, properties, classes, nodes, node_class, relation, attribute]
        for table in model.tables:
            columns = [("id", "TEXT", 'PRIMARY KEY REFERENCES "node" ("id")')]
            columns += [(key, "TEXT", "") for key in table.columns if key != "id"]
            rows = []
            for member in table.members:
                row = model.row(table, member, lang)
                rows.append(tuple(nul(row[name]) for name, _, _ in columns))
            tables.append(SqlTable(table_names[table.key], tuple(columns), (), rows))
        return cls(lang, tables)


def _term_texts(graphs: Graphs) -> dict[tuple[str, str, str], str]:
    """(IRI, rdfs:label or skos:definition, language) → text, from every graph."""
    found: dict[tuple[str, str, str], str] = {}
    for quads in graphs.values():
        for quad in quads:
            obj = quad.object
            if (
                quad.predicate.value in (LABEL, DEFINITION)
                and isinstance(quad.subject, ox.NamedNode)
                and isinstance(obj, ox.Literal)
                and obj.language in ("en", "es")
            ):
                found.setdefault(
                    (quad.subject.value, quad.predicate.value, obj.language), obj.value
                )
    return found


def ddl(schema: Schema) -> list[str]:
    """The ``CREATE`` statements of ``schema`` (tables in load order, then the indexes and the
    views), the same text for SQLite and PostgreSQL."""
    return [table.create() for table in schema.tables] + list(_INDEXES) + [_dataset_view()]


def _drops(names: Iterable[str]) -> list[str]:
    """``DROP`` statements for the views, the class tables named, then the fixed tables, so
    that no table is dropped while another of ours still points at it."""
    out = [f"DROP VIEW IF EXISTS {_q(view)}" for view in _VIEWS]
    out += [f"DROP TABLE IF EXISTS {_q(name)}" for name in names if name not in _FIXED]
    out += [f"DROP TABLE IF EXISTS {_q(name)}" for name in reversed(_FIXED)]
    return out


# -- SQLite -------------------------------------------------------------------------------------


def write_sqlite(schema: Schema, output: str | Path) -> Path:
    """Write ``schema`` as a new SQLite file at ``output`` (replaced only when the whole file is
    written and every foreign key holds)."""
    target = Path(output)
    with atomic_file(target) as tmp:
        tmp.unlink()
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                for table in schema.tables:
                    connection.execute(table.create())
                for table in schema.tables:
                    marks = ", ".join("?" * len(table.columns))
                    names = ", ".join(_q(name) for name in table.column_names)
                    connection.executemany(
                        f"INSERT INTO {_q(table.name)} ({names}) VALUES ({marks})", table.rows
                    )
                for statement in ddl(schema)[len(schema.tables) :]:
                    connection.execute(statement)
            broken = connection.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ExportError(f"foreign keys broken in the SQLite export: {broken[:5]}")
        except sqlite3.Error as exc:
            raise ExportError(f"the SQLite export failed: {exc}") from exc
        finally:
            connection.close()
    return target


# -- PostgreSQL script ------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def copy_text(value: Any) -> str:
    r"""One value in PostgreSQL's ``COPY … FROM stdin`` text format.

    >>> copy_text(None), copy_text(True), copy_text("a\tb\\c\nd"), copy_text(3)
    ('\\N', 't', 'a\\tb\\\\c\\nd', '3')
    """
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def postgres_script(schema: Schema) -> Iterator[str]:
    """The lines of a ``psql -f`` script that replaces this export's tables in one
    transaction (``ON_ERROR_STOP``: a failed load leaves the database as it was)."""
    yield "-- Pipeline Atlas: the graph as tables (run with: psql -v ON_ERROR_STOP=1 -f FILE)\n"
    yield f"-- schema version {SCHEMA_VERSION}; labels in {schema.lang}\n"
    yield "\\set ON_ERROR_STOP on\n"
    yield "SET client_encoding = 'UTF8';\n"
    yield "SET standard_conforming_strings = on;\n"
    yield "BEGIN;\n"
    for statement in _drops(table.name for table in schema.class_tables):
        yield statement + ";\n"
    for table in schema.tables:
        yield table.create() + ";\n"
    for table in schema.tables:
        names = ", ".join(_q(name) for name in table.column_names)
        yield f"COPY {_q(table.name)} ({names}) FROM stdin;\n"
        for row in table.rows:
            yield "\t".join(copy_text(value) for value in row) + "\n"
        yield "\\.\n"
    for statement in ddl(schema)[len(schema.tables) :]:
        yield statement + ";\n"
    for table in schema.tables:  # statistics, so that the planner joins the new rows well
        yield f"ANALYZE {_q(table.name)};\n"
    yield "COMMIT;\n"


def write_postgres_script(schema: Schema, output: str | Path) -> Path:
    """Write :func:`postgres_script` to ``output`` (atomically)."""
    target = Path(output)
    with atomic_file(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(postgres_script(schema))
    return target


# -- PostgreSQL server ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    conninfo: str
    schema: str | None
    shown: str
    password: str | None


def _target(url: str) -> _Target:
    """The connection string without our ``schema`` parameter, the schema, and the URL as it may
    be shown (no password).

    >>> target = _target("postgresql://me:secret@127.0.0.1:5433/atlas?schema=partner")
    >>> target.shown, target.schema, target.conninfo
    ('postgresql://me@127.0.0.1:5433/atlas?schema=partner', 'partner', 'postgresql://me:secret@127.0.0.1:5433/atlas')
    >>> _target("postgresql://me@db/atlas?password=secret&sslmode=require").shown
    'postgresql://me@db/atlas?sslmode=require'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ExportError(f"not a postgresql:// URL: {_hide(url)}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((value for key, value in query if key == "schema"), None)
    rest = urlencode([(key, value) for key, value in query if key != "schema"])
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2:
        user = netloc[0].split(":", 1)[0]
        netloc_shown = f"{user}@{netloc[1]}"
    else:
        netloc_shown = parts.netloc
    secret = parts.password or next((v for k, v in query if k == "password"), None)
    visible = urlencode([(key, value) for key, value in query if key != "password"])
    shown = urlunsplit((parts.scheme, netloc_shown, parts.path, visible, ""))
    return _Target(conninfo, schema or None, shown, secret)


def _hide(url: str) -> str:
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1@", url)


def write_postgres(schema: Schema, url: str, *, lang: str = "en") -> str:
    """Load ``schema`` into the PostgreSQL server at ``url`` (``postgresql://user@host:port/db``,
    optionally ``?schema=NAME``) in one transaction with ``COPY``: this export's tables (those
    named in an earlier export's ``class`` table too) are replaced, nothing else is touched.
    Returns the URL without its password."""
    try:
        import psycopg
        from psycopg import sql as pgsql
    except ImportError as exc:  # the 'exchange' extra is not installed
        raise ExportError(t("exchange.sql.no_psycopg", lang)) from exc
    target = _target(url)
    try:
        connection = psycopg.connect(target.conninfo, connect_timeout=10)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()).rstrip(".")
        if target.password:
            reason = reason.replace(target.password, "***")
        raise ExportError(t("exchange.sql.refused", lang, url=target.shown, reason=reason)) from exc
    try:
        with connection.transaction(), connection.cursor() as cursor:
            if target.schema:
                cursor.execute(
                    pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        pgsql.Identifier(target.schema)
                    )
                )
                cursor.execute(
                    pgsql.SQL("SET LOCAL search_path TO {}").format(pgsql.Identifier(target.schema))
                )
            names = {table.name for table in schema.class_tables}
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = 'class' AND column_name = 'table_name'"
            )
            if cursor.fetchone():
                cursor.execute('SELECT "table_name" FROM "class" WHERE "table_name" IS NOT NULL')
                names.update(str(row[0]) for row in cursor.fetchall())
            for statement in _drops(sorted(names)):
                cursor.execute(statement.encode())
            for table in schema.tables:
                cursor.execute(table.create().encode())
            for table in schema.tables:
                names_sql = ", ".join(_q(name) for name in table.column_names)
                copy_sql = f"COPY {_q(table.name)} ({names_sql}) FROM STDIN"
                with cursor.copy(copy_sql.encode()) as copy:
                    for row in table.rows:
                        copy.write_row(row)
            for statement in ddl(schema)[len(schema.tables) :]:
                cursor.execute(statement.encode())
            for table in schema.tables:  # statistics, so that the planner joins them well
                cursor.execute(f"ANALYZE {_q(table.name)}".encode())
    except psycopg.Error as exc:
        raise ExportError(
            t("exchange.sql.load_failed", lang, url=target.shown, reason=" ".join(str(exc).split()))
        ) from exc
    finally:
        connection.close()
    return target.shown


# -- the export -------------------------------------------------------------------------------


def write(graphs: Graphs, fmt: str, output: str, *, lang: str) -> ExportResult:
    """Export ``graphs`` as ``sqlite`` (a file), ``postgres-sql`` (a ``psql -f`` script) or
    ``postgres`` (``output`` is a ``postgresql://`` URL of a running server)."""
    if fmt not in ("sqlite", "postgres-sql", "postgres"):
        raise ExportError(
            f"{fmt!r} is not a SQL export format; SQL formats: sqlite, postgres-sql, postgres"
        )
    schema = Schema.from_graphs(graphs, lang=lang)
    if fmt == "sqlite":
        written = str(write_sqlite(schema, output))
    elif fmt == "postgres-sql":
        written = str(write_postgres_script(schema, output))
    else:
        written = write_postgres(schema, output, lang=lang)
    return ExportResult(fmt, (written,), schema.counts())


# -- the headline question in SQL ---------------------------------------------------------------

_HEADER = re.compile(r"^--\s*([a-z_]+):\s*(.*)$")


@dataclass(frozen=True)
class HeadlineQuery:
    """A SQL query of ``queries/sql``: its name, ``metadata`` (the ``-- key: value`` header),
    ``params`` (names in placeholder order) and ``sql`` for one dialect (``sqlite``: ``?``
    placeholders; ``postgres``: ``%s`` for psycopg), without the header."""

    name: str
    dialect: str
    sql: str
    params: tuple[str, ...]
    metadata: Mapping[str, str]

    def args(self, **values: str | None) -> tuple[str | None, ...]:
        """The values in placeholder order (a parameter left out is NULL: its default).

        >>> HeadlineQuery("q", "sqlite", "", ("city", "lang"), {}).args(lang="es", city="x")
        ('x', 'es')
        """
        unknown = set(values) - set(self.params)
        if unknown:
            raise ExportError(
                f"{self.name}: unknown parameter(s) {sorted(unknown)}; known: {list(self.params)}"
            )
        return tuple(values.get(name) for name in self.params)


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """The ``-- key: value`` lines that open a SQL file, and the rest of it.

    >>> parse_header("-- summary: s\\n-- params: a b\\nSELECT 1")
    ({'summary': 's', 'params': 'a b'}, 'SELECT 1')
    """
    metadata: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    for index, line in enumerate(lines):  # noqa: B007
        match = _HEADER.match(line)
        if match:
            metadata[match.group(1)] = match.group(2).strip()
        elif not line.startswith("--") and line.strip():
            break
    return metadata, "\n".join(lines[index:])


def headline_query(
    name: str, dialect: str = "sqlite", *, paths: ProjectPaths | None = None
) -> HeadlineQuery:
    """The SQL query ``queries/sql/<name>.sql`` (``headline-by-stage``, ``headline-by-city``)
    for ``dialect`` (``sqlite`` or ``postgres``): the project's, else the product's.

    >>> query = headline_query("headline-by-city", "postgres")
    >>> query.params, query.sql.count("%s"), query.metadata["same_as"]
    (('city', 'lang'), 2, 'cq-014-who-can-block-in-a-city')
    """
    if dialect not in ("sqlite", "postgres"):
        raise ExportError(f"unknown SQL dialect {dialect!r}: sqlite or postgres")
    folder = (paths or project_paths()).queries / "sql"
    file = folder / f"{name}.sql"
    if paths is None and not file.is_file():  # a project of one's own need not copy them
        folder = product_paths().queries / "sql"
        file = folder / f"{name}.sql"
    if not file.is_file():
        known = sorted(p.stem for p in folder.glob("*.sql"))
        raise ExportError(f"no SQL query {name!r}; known: {', '.join(known)}")
    metadata, body = parse_header(file.read_text(encoding="utf-8"))
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("--"))
    params = tuple(metadata.get("params", "").split())
    if body.count("?") != len(params):
        raise ExportError(f"{file}: {body.count('?')} placeholders for params {list(params)}")
    if dialect == "postgres":
        if "%" in body:
            raise ExportError(f"{file}: '%' in a query run through psycopg")
        body = body.replace("?", "%s")
    return HeadlineQuery(name, dialect, body.strip() + "\n", params, metadata)


def psql_binary() -> str | None:
    """``psql`` on the PATH, else the newest under ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which("psql")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"), key=_version_key)
    return str(candidates[-1]) if candidates else None


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.parent.parent.name)) or (0,)


def run_psql(script: str | Path, url: str) -> subprocess.CompletedProcess[str]:
    """Run a ``postgres-sql`` script with ``psql -v ON_ERROR_STOP=1 -f`` against ``url``."""
    binary = psql_binary()
    if binary is None:
        raise ExportError("no psql found (install the PostgreSQL client)")
    return subprocess.run(
        [binary, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
