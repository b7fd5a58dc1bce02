"""The PostgreSQL exports against a real server: Debian's PostgreSQL, started by the session on
127.0.0.1 (a free port) in a temporary data folder with trust authentication, stopped and
removed at the end. As root (CI) initdb and postgres run as the ``postgres`` system user.

Both routes are loaded: ``postgres`` (psycopg, COPY, one transaction) and ``postgres-sql`` (the
script run with ``psql -f``); each has the graph's counts, declared keys that hold, and the
headline queries on the server answer as the SPARQL ones do."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyoxigraph as ox
import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.build.load import graphs_of
from pipeline_atlas.exchange import ExportError, export
from pipeline_atlas.exchange import sql as exsql
from processes import free_port
from sqltools import CITIES, CITY_COLUMNS, STAGE_COLUMNS, graph_counts, same_rows, sparql_rows

pytestmark = pytest.mark.integration

Graphs = dict[str, list[ox.Quad]]
START_TIMEOUT = 60.0


def postgres_bin() -> Path:
    """The newest PostgreSQL server's bin folder (``/usr/lib/postgresql/*/bin``)."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").is_file()]
    if not found:
        pytest.fail("no PostgreSQL server: install the Debian package postgresql")
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


def as_server_user(command: list[str]) -> list[str]:
    """``command`` as the ``postgres`` user when run as root (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PostgresServer:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 (trust authentication), polled until it accepts
    connections; stopped and its folder removed at the end."""
    binaries = postgres_bin()
    folder = tmp_path_factory.mktemp("postgres")
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        os.chmod(folder, 0o755)
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        for parent in folder.parents:  # the user must be able to reach its folder
            if parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o005)
    initdb = as_server_user(
        [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
    )
    subprocess.run(initdb, check=True, capture_output=True)
    log = (folder / "server.log").open("wb")
    process: subprocess.Popen[bytes] | None = None
    for _attempt in range(3):
        port = free_port()
        server_options = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        command = as_server_user(
            [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets)]
        )
        command += server_options
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        server = PostgresServer(folder, port, process)
        if _wait_until_ready(server):
            break
        process.terminate()
        process.wait(timeout=30)
    else:
        pytest.fail("PostgreSQL did not start:\n" + (folder / "server.log").read_text())
    try:
        yield server
    finally:
        process.terminate()  # smart shutdown: SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(server: PostgresServer) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    delay = 0.05
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    return False


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[Atlas, Graphs]]:
    atlas = Atlas.build(reason=False)
    yield atlas, dict(graphs_of(atlas.store))
    atlas.close()


def _new_database(server: PostgresServer, name: str) -> str:
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"'.encode())
        connection.execute(f'CREATE DATABASE "{name}"'.encode())
    return server.url(name)


@pytest.fixture(scope="module")
def loaded(postgres_server: PostgresServer, built: tuple[Atlas, Graphs]) -> str:
    """A database loaded directly (format ``postgres``), twice: the second load replaces the
    first."""
    url = _new_database(postgres_server, "direct")
    export(built[1], format="postgres", output=url)
    result = export(built[1], format="postgres", output=url)
    assert result.outputs == (url,)
    return url


@pytest.fixture(scope="module")
def scripted(
    postgres_server: PostgresServer,
    built: tuple[Atlas, Graphs],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """A database loaded from the ``postgres-sql`` script with ``psql -f``."""
    url = _new_database(postgres_server, "scripted")
    script = tmp_path_factory.mktemp("script") / "atlas.sql"
    export(built[1], format="postgres-sql", output=script)
    done = exsql.run_psql(script, url)
    assert done.returncode == 0, done.stderr
    return url


def rows(url: str, query: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return [tuple(row) for row in connection.execute(query, args or None)]


@pytest.mark.parametrize("route", ["loaded", "scripted"])
def test_the_database_has_the_graphs_counts(
    route: str, request: pytest.FixtureRequest, built: tuple[Atlas, Graphs]
) -> None:
    url = request.getfixturevalue(route)
    expected = graph_counts(built[1])

    def count(table: str) -> int:
        return int(rows(url, f'SELECT COUNT(*) FROM "{table}"')[0][0])

    assert count("node") == expected["nodes"]
    assert count("relation") == expected["relations"]
    assert count("attribute") == expected["attributes"]
    assert count("node_class") == expected["node_classes"]
    tables = dict(
        rows(url, 'SELECT "iri", "table_name" FROM "class" WHERE "table_name" IS NOT NULL')
    )
    assert set(tables) == set(expected["classes"])
    for iri, members in expected["classes"].items():
        assert count(tables[iri]) == members, iri
    # labels in both languages kept, with their language
    languages = dict(
        rows(
            url,
            'SELECT "language", COUNT(*) FROM "attribute" WHERE "property" = \'label\' GROUP BY 1',
        )
    )
    assert languages["en"] > 0 and languages["es"] > 0


@pytest.mark.parametrize("route", ["loaded", "scripted"])
def test_keys_are_declared_and_enforced(route: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(route)
    foreign = set(
        rows(
            url,
            "SELECT tc.table_name, kcu.column_name, ccu.table_name "
            "FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu "
            "ON kcu.constraint_name = tc.constraint_name "
            "JOIN information_schema.constraint_column_usage ccu "
            "ON ccu.constraint_name = tc.constraint_name "
            "WHERE tc.constraint_type = 'FOREIGN KEY'",
        )
    )
    assert {
        ("node_class", "node", "node"),
        ("node_class", "class", "class"),
        ("relation", "subject", "node"),
        ("relation", "object", "node"),
        ("relation", "property", "property"),
        ("attribute", "subject", "node"),
        ("city", "id", "node"),
    } <= foreign
    with psycopg.connect(url) as connection, pytest.raises(psycopg.errors.ForeignKeyViolation):
        connection.execute(
            'INSERT INTO "relation" VALUES '
            "('stage/police-stop', 'next_stage', 'stage/nowhere', false)"
        )
    with psycopg.connect(url) as connection, pytest.raises(psycopg.errors.UniqueViolation):
        connection.execute('INSERT INTO "relation" SELECT * FROM "relation" LIMIT 1')


@pytest.mark.parametrize("route", ["loaded", "scripted"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_headline_by_stage_on_the_server(
    route: str, lang: str, request: pytest.FixtureRequest, built: tuple[Atlas, Graphs]
) -> None:
    url = request.getfixturevalue(route)
    query = exsql.headline_query("headline-by-stage", "postgres")
    sparql = sparql_rows(built[0], query.metadata["same_as"], STAGE_COLUMNS, lang=lang)
    sql = rows(url, query.sql, query.args(lang=lang))
    assert len(sparql) >= 4
    assert same_rows(sparql, sql), sorted(set(sparql) ^ set(sql), key=str)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_headline_by_city_on_the_server(
    lang: str, loaded: str, scripted: str, built: tuple[Atlas, Graphs]
) -> None:
    query = exsql.headline_query("headline-by-city", "postgres")
    for city in CITIES:
        sparql = sparql_rows(
            built[0], query.metadata["same_as"], CITY_COLUMNS, city=city, lang=lang
        )
        for url in (loaded, scripted):
            sql = rows(url, query.sql, query.args(city=f"jurisdiction/{city}", lang=lang))
            assert same_rows(sparql, sql), (city, sorted(set(sparql) ^ set(sql), key=str))


def test_a_schema_of_its_own_and_other_tables_untouched(
    postgres_server: PostgresServer, built: tuple[Atlas, Graphs]
) -> None:
    url = _new_database(postgres_server, "partner")
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE partner_notes (id int PRIMARY KEY, note text)")
        connection.execute("INSERT INTO partner_notes VALUES (1, 'ours')")
    export(built[1], format="postgres", output=url + "?schema=atlas")
    assert rows(url, "SELECT note FROM partner_notes") == [("ours",)]
    assert rows(url, 'SELECT COUNT(*) > 0 FROM atlas."node"') == [(True,)]
    assert rows(url, "SELECT to_regclass('public.node') IS NULL") == [(True,)]


def test_a_failed_load_leaves_the_database_as_it_was(
    postgres_server: PostgresServer, built: tuple[Atlas, Graphs], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _new_database(postgres_server, "failing")
    export(built[1], format="postgres", output=url)
    before = rows(url, 'SELECT COUNT(*) FROM "relation"')
    original = exsql.Schema.from_graphs

    def broken(graphs: Any, *, lang: str) -> exsql.Schema:
        schema = original(graphs, lang=lang)
        schema.table("relation").rows.append(("stage/police-stop", "next_stage", "nowhere", False))
        schema.table("node").rows.append(("extra", "https://example.org/extra", None))
        return schema

    monkeypatch.setattr(exsql.Schema, "from_graphs", broken)
    with pytest.raises(ExportError, match="rolled back"):
        export(built[1], format="postgres", output=url)
    assert rows(url, 'SELECT COUNT(*) FROM "relation"') == before
    assert rows(url, 'SELECT COUNT(*) FROM "node" WHERE "id" = \'extra\'') == [(0,)]


def test_a_refused_connection_is_a_clear_error_without_the_password(
    built: tuple[Atlas, Graphs],
) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://atlas:s3cret-word@127.0.0.1:{port}/atlas"
    with pytest.raises(ExportError) as caught:
        export(built[1], format="postgres", output=url)
    message = str(caught.value)
    assert f"postgresql://atlas@127.0.0.1:{port}/atlas" in message
    assert "s3cret-word" not in message
    assert "Could not connect" in message
