"""The ``pipeline-atlas`` command: build, queries, query, validate, stats, docs.

A thin shell over the library. Any :class:`~pipeline_atlas.errors.AtlasError` is printed as one
line ``error: ...`` on stderr with exit code 2 (1 when validation finds problems), never a
traceback.
The project directory is found by :func:`~pipeline_atlas.paths.project_paths` (set
``PIPELINE_ATLAS_ROOT`` to point elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .atlas import Atlas
from .errors import AtlasError, ParameterError, ValidationError
from .paths import ProjectPaths, project_paths
from .queries import CatalogueQuery, load_catalogue, resolve_query
from .store import DEFAULT_MAX_ROWS

__all__ = ["app", "main", "parse_params"]

app = typer.Typer(
    name="pipeline-atlas",
    help="A knowledge graph of California's Arrest-to-Deportation Pipeline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    """Output formats of ``query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    turtle = "turtle"
    ntriples = "ntriples"


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store directory (default: the project's build/store, or built in memory if absent).",
        file_okay=False,
    ),
]


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def _note(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


@contextlib.contextmanager
def _handled() -> Iterator[None]:
    """Turn every error a person can cause into one line on stderr and an exit code."""
    try:
        yield
    except ValidationError as exc:
        _error(str(exc))
        raise typer.Exit(1) from None
    except AtlasError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    except BrokenPipeError:  # e.g. `pipeline-atlas query ... | head`
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        _error("interrupted")
        raise typer.Exit(130) from None


def _echo(text: str) -> None:
    typer.echo(text, nl=not text.endswith("\n"))


def parse_params(pairs: list[str] | None) -> dict[str, str]:
    """``["key=value", ...]`` → ``{"key": "value"}``; raises :class:`ParameterError`.

    >>> parse_params(["stage=police-stop", "lang=es"])
    {'stage': 'police-stop', 'lang': 'es'}
    """
    params: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--param expects key=value, got {pair!r}")
        if key in params:
            raise ParameterError(f"--param {key} is given twice")
        params[key] = value
    return params


def _open_atlas(store: Path | None, paths: ProjectPaths) -> Atlas:
    """The atlas to query: ``--store``, else the default store, else a build in memory."""
    return Atlas.open_default(store, paths=paths, note=_note)


@app.command()
def build(
    store: StoreOption = None,
    no_reason: Annotated[
        bool, typer.Option("--no-reason", help="Skip the reasoner (no inferred graph).")
    ] = False,
) -> None:
    """Load the ontology and graph data (and infer) into a store directory."""
    with _handled():
        paths = project_paths()
        target = store if store is not None else paths.default_store
        atlas = Atlas.build(store_dir=target, reason=not no_reason, paths=paths)
        stats = atlas.stats()
        typer.echo(f"built {target}: {stats.triples} triples in {len(stats.graphs)} graphs")


@app.command("queries")
def list_queries(
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only queries with this tag (repeatable).")
    ] = None,
) -> None:
    """List the catalogue queries: id and summary."""
    with _handled():
        paths = project_paths()
        catalogue = load_catalogue(paths.queries, root=paths.root)
        if tag:
            wanted = set(tag)
            catalogue = [q for q in catalogue if wanted & set(q.tags)]
        width = max((len(q.id) for q in catalogue), default=0)
        for q in catalogue:
            typer.echo(f"{q.id.ljust(width)}  {q.summary}".rstrip())


@app.command()
def query(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME|FILE",
            help="A catalogue id or unique prefix (cq-003), a path to an .rq file, or SPARQL text.",
        ),
    ],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as key=value (repeatable)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    store: StoreOption = None,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Fail if the query yields more rows.", min=1)
    ] = DEFAULT_MAX_ROWS,
) -> None:
    """Run a query and print its result."""
    with _handled():
        paths = project_paths()
        params = parse_params(param)
        target = _resolve(name, paths)
        target.bind(params)  # check the parameters before building or opening anything
        atlas = _open_atlas(store, paths)
        result = atlas.run(target, params=params, max_rows=max_rows)
        _echo(result.to(fmt.value))


def _resolve(name: str, paths: ProjectPaths) -> CatalogueQuery:
    text = name.strip()
    catalogue: list[CatalogueQuery] = []
    if text and not any(ch.isspace() or ch in "{}" for ch in text):
        catalogue = load_catalogue(paths.queries, root=paths.root)
    return resolve_query(name, catalogue=catalogue, root=paths.root)


@app.command()
def validate(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Validate this store directory (default: the project's files as they are now).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Check the graph against the SHACL shapes and the quality-check queries.

    Exit code 0 when it conforms, 1 when it does not, 2 when it cannot run.
    """
    from .validate import validate as run_validate  # imported here: pySHACL is slow to load

    with _handled():
        paths = project_paths()
        report = run_validate(Atlas.open(store, paths=paths) if store is not None else paths)
        _echo(report.to_text())
        if not report.conforms:
            raise typer.Exit(1)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Count triples, triples per named graph and instances per class."""
    with _handled():
        paths = project_paths()
        typer.echo(_open_atlas(store, paths).stats().to_text())


@app.command()
def docs(
    check: Annotated[
        bool, typer.Option("--check", help="Only check that docs/ontology.md is current.")
    ] = False,
) -> None:
    """Regenerate the ontology reference, docs/ontology.md, from the ontology."""
    from .ontology_docs import ontology_reference, write_ontology_reference

    with _handled():
        paths = project_paths()
        target = paths.root / "docs" / "ontology.md"
        if check:
            current = target.is_file() and target.read_text(encoding="utf-8") == (
                ontology_reference(paths)
            )
            if not current:
                _error(f"{paths.relative(target)} is out of date: run `pipeline-atlas docs`")
                raise typer.Exit(1)
            typer.echo(f"{paths.relative(target)} is current")
            return
        typer.echo(f"wrote {paths.relative(write_ontology_reference(paths))}")


@app.command()
def generate(
    check: Annotated[
        bool,
        typer.Option("--check", help="Only check that the generated files are current (exit 1)."),
    ] = False,
) -> None:
    """Regenerate graph_data/california/*.ttl from the data in graph_data/california/sources/.

    With --check, list the files that are out of date and exit 1 if there are any.
    """
    from . import california

    with _handled():
        paths = project_paths()
        if check:
            out_of_date = california.stale(paths)
            for relative in out_of_date:
                _error(f"{relative} is out of date: run `pipeline-atlas generate`")
            if out_of_date:
                raise typer.Exit(1)
            typer.echo(f"{len(california.OUTPUT_FILES)} generated files are current")
            return
        written = california.write(paths)
        for relative in written:
            typer.echo(f"wrote {relative}")
        if not written:
            typer.echo(f"{len(california.OUTPUT_FILES)} generated files are current")


def main() -> None:
    """Console entry point (``pipeline-atlas``)."""
    app(prog_name="pipeline-atlas")
