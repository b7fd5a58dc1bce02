"""The ``pipeline-atlas`` command: build, push, queries, query, validate, stats, docs, generate,
serve.

A thin shell over the library. Any :class:`~pipeline_atlas.errors.AtlasError` is printed as one
line ``error: ...`` on stderr with exit code 2 (1 when validation finds problems), never a
traceback; advice about commands is the CLI's, added here.

Every command that reads the graph runs against the embedded store (``--store``, the project's
``build/store``, or a build in memory) or, with ``--endpoint URL`` (or ``PIPELINE_ATLAS_ENDPOINT``),
against a remote SPARQL 1.1 store. A query that a person wrote (a file or SPARQL text) runs in
the sandbox with the ``--timeout``, ``--memory-mb`` and ``--max-rows`` limits.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .atlas import ENV_ENDPOINT, ENV_UNION, Atlas
from .catalogue import (
    CatalogueQuery,
    adhoc_query,
    load_catalogue,
    load_query_file,
    looks_like_id,
    resolve_query,
)
from .errors import (
    AtlasError,
    ParameterError,
    QueryNotFoundError,
    QueryStoppedError,
    StoreError,
    ValidationError,
)
from .exchange import FORMATS as EXPORT_FORMATS
from .i18n import LANGUAGES, t
from .paths import ProjectPaths, project_paths
from .store.base import DEFAULT_MAX_ROWS
from .store.remote import Credentials
from .store.sandbox import DEFAULT_LIMITS

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
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"


class _Target:
    """Where the graph is: set by the global options, read by every command."""

    endpoint: str | None = None
    lang: str = "en"
    union_default_graph: bool = False
    user: str | None = None
    password: str | None = None


_TARGET = _Target()


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store directory (default: the project's build/store, or built in memory if absent).",
        file_okay=False,
    ),
]


WritableStoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="The store directory (default: the project's build/store).",
        file_okay=False,
    ),
]
"""The store an import or a merge writes to (it must exist: nothing is built in memory)."""

CommandLangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of this command's output and labels, en or es (the same as the global "
        "--lang before the command; this one wins).",
    ),
]


def _command_lang(lang: str | None) -> str:
    """The language of a command that takes its own ``--lang`` (else the global one)."""
    if lang is not None:
        if lang not in LANGUAGES:
            raise typer.BadParameter(f"use one of {', '.join(LANGUAGES)}", param_hint="--lang")
        _TARGET.lang = lang
    return _TARGET.lang


@app.callback()
def _global(
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            envvar=ENV_ENDPOINT,
            help="Query this SPARQL 1.1 endpoint instead of the embedded store "
            "(e.g. http://127.0.0.1:7878/query).",
        ),
    ] = None,
    union_default_graph: Annotated[
        bool,
        typer.Option(
            "--union-default-graph",
            envvar=ENV_UNION,
            help="The endpoint's default graph is the union of its named graphs "
            "(otherwise queries name the graphs).",
        ),
    ] = False,
    user: Annotated[str | None, typer.Option("--user", help="User name for the endpoint.")] = None,
    password: Annotated[
        str | None,
        typer.Option("--password", envvar="PIPELINE_ATLAS_PASSWORD", help="Password for it."),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="PIPELINE_ATLAS_LANG",
            help="Language of the command's own messages, and of the labels of a catalogue "
            "query that takes a lang parameter: en or es.",
        ),
    ] = "en",
) -> None:
    """A knowledge graph of California's Arrest-to-Deportation Pipeline."""
    if lang not in LANGUAGES:
        raise typer.BadParameter(f"use one of {', '.join(LANGUAGES)}", param_hint="--lang")
    _TARGET.lang = lang
    _TARGET.endpoint = endpoint or None
    _TARGET.union_default_graph = union_default_graph
    _TARGET.user = user
    _TARGET.password = password


def _credentials() -> Credentials | None:
    if _TARGET.user is None:
        return None
    return Credentials(_TARGET.user, _TARGET.password or "")


def _error(message: str) -> None:
    typer.echo(t("cli.line.error", _TARGET.lang, message=message), err=True)


def _note(key: str, **values: object) -> None:
    message = t(key, _TARGET.lang, **values)
    typer.echo(t("cli.line.note", _TARGET.lang, message=message), err=True)


def _advice(exc: AtlasError) -> str | None:
    """What the CLI adds to a library error: which command helps (from the catalogue)."""
    key = None
    if isinstance(exc, QueryNotFoundError) and not exc.candidates:
        key = "cli.advice.list_queries"
    elif isinstance(exc, QueryStoppedError) and exc.reason in ("timeout", "memory"):
        key = f"cli.advice.{exc.reason}"
    elif isinstance(exc, StoreError) and str(exc).startswith("no store at"):
        key = "cli.advice.build"
    elif type(exc).__name__ == "UnknownPlaceError":
        key = "cli.advice.places"
    return t(key, _TARGET.lang) if key else None


@contextlib.contextmanager
def _handled() -> Iterator[None]:
    """Turn every error a person can cause into one line on stderr and an exit code."""
    try:
        yield
    except ValidationError as exc:
        _error(str(exc))
        raise typer.Exit(1) from None
    except AtlasError as exc:
        advice = _advice(exc)
        _error(f"{exc}; {advice}" if advice else str(exc))
        raise typer.Exit(2) from None
    except BrokenPipeError:  # e.g. `pipeline-atlas query ... | head`
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        _error(t("cli.msg.interrupted", _TARGET.lang))
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
    """The atlas to query: ``--endpoint``, ``--store``, the default store, or a build in
    memory."""
    if _TARGET.endpoint:
        return Atlas.open_endpoint(
            _TARGET.endpoint,
            union_default_graph=_TARGET.union_default_graph,
            credentials=_credentials(),
            paths=paths,
        )
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
        with Atlas.build(store_dir=target, reason=not no_reason, paths=paths) as atlas:
            stats = atlas.stats()
        typer.echo(
            t(
                "cli.msg.built",
                _TARGET.lang,
                store=target,
                triples=stats.triples,
                graphs=len(stats.graphs),
            )
        )


@app.command()
def push(
    store: StoreOption = None,
    graph_store: Annotated[
        str | None,
        typer.Option(
            "--graph-store",
            help="The Graph Store Protocol URL (default: guessed from --endpoint, "
            "e.g. …/query → …/store).",
        ),
    ] = None,
    no_reason: Annotated[
        bool, typer.Option("--no-reason", help="Push without the inferred graph.")
    ] = False,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="The remote store's query URL (as the global option)."),
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User name for the store.")] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password for the store.")
    ] = None,
) -> None:
    """Load the graph into the remote store of --endpoint, one named graph per source file plus
    the inferred graph, through the SPARQL 1.1 Graph Store Protocol.

    Both `pipeline-atlas --endpoint URL push` and `pipeline-atlas push --endpoint URL` work.
    """
    from .build import build_graphs
    from .build.push import graph_store_url, push_graphs

    _TARGET.endpoint = endpoint or _TARGET.endpoint
    _TARGET.user = user if user is not None else _TARGET.user
    _TARGET.password = password if password is not None else _TARGET.password
    with _handled():
        if not _TARGET.endpoint and not graph_store:
            raise ParameterError(t("cli.msg.push_needs_endpoint", _TARGET.lang))
        paths = project_paths()
        target = graph_store or graph_store_url(
            str(_TARGET.endpoint), authenticated=_TARGET.user is not None
        )
        if store is not None:
            from .build.load import graphs_of

            graphs = graphs_of(Atlas.open(store, paths=paths))
        else:
            graphs = build_graphs(paths, reason=not no_reason)
        total = push_graphs(graphs, graph_store=target, credentials=_credentials())
        typer.echo(t("cli.msg.pushed", _TARGET.lang, triples=total, graphs=len(graphs), url=target))


@app.command("queries")
def list_queries(
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only queries with this tag (repeatable).")
    ] = None,
) -> None:
    """List the catalogue queries: id and summary (in the --lang language)."""
    with _handled():
        paths = project_paths()
        catalogue = load_catalogue(paths.queries, root=paths.root)
        if tag:
            wanted = set(tag)
            catalogue = [q for q in catalogue if wanted & set(q.tags)]
        width = max((len(q.id) for q in catalogue), default=0)
        for q in catalogue:
            typer.echo(f"{q.id.ljust(width)}  {q.summary_for(_TARGET.lang)}".rstrip())


@app.command()
def query(
    name: Annotated[
        str,
        typer.Argument(
            metavar="ID|FILE|SPARQL",
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
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds a file or SPARQL text may run.", min=0.1),
    ] = DEFAULT_LIMITS.timeout,
    memory_mb: Annotated[
        int,
        typer.Option("--memory-mb", help="Memory (MB) a file or SPARQL text may use.", min=64),
    ] = DEFAULT_LIMITS.memory_mb or 2048,
) -> None:
    """Run a query and print its result.

    A catalogue query runs directly; a file or SPARQL text runs in a sandboxed worker, stopped
    at --timeout seconds or --memory-mb of memory.
    """
    with _handled():
        paths = project_paths()
        params = parse_params(param)
        target = _resolve(name, paths)
        if "lang" not in params and any(p.name == "lang" for p in target.params):
            params["lang"] = _TARGET.lang  # labels in the language of --lang, unless asked
        target.bind(params)  # check the parameters before building or opening anything
        atlas = _open_atlas(store, paths)
        atlas.limits = atlas.limits.with_options(
            timeout=timeout, memory_mb=memory_mb, max_rows=max_rows
        )
        try:
            result = atlas.run(target, params=params, max_rows=max_rows)
        finally:
            atlas.close()
        _echo(result.to(fmt.value))


def _resolve(name: str, paths: ProjectPaths) -> CatalogueQuery:
    """The query the user named: a file (read here, and only here), a catalogue id, or text."""
    if name.endswith(".rq") or (looks_like_id(name) and os.sep in name):
        file = Path(name)
        if not file.is_file():
            raise QueryNotFoundError(name, candidates=[])
        return load_query_file(file, root=paths.root, trusted=False)
    if looks_like_id(name):
        if Path(name).is_file():
            return load_query_file(Path(name), root=paths.root, trusted=False)
        return resolve_query(name, catalogue=load_catalogue(paths.queries, root=paths.root))
    return adhoc_query(name)


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
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="SHACL validates again only what the named graphs changed since the last "
            "incremental run reach (its answer is kept in build/shacl/); the findings are a "
            "full validation's.",
        ),
    ] = False,
) -> None:
    """Check the graph against the SHACL shapes and the quality-check queries.

    With --endpoint, the remote store's graphs are validated. Warnings (quality checks marked
    `severity: warning`, such as facts not checked for a year) are printed but do not fail.
    Exit code 0 when it conforms (warnings or not), 1 when it does not, 2 when it cannot run.
    With --lang es, the SHACL messages and the report's own words are in Spanish.
    """
    from .build.validate import validate as run_validate  # here: pySHACL is slow to load

    with _handled():
        paths = project_paths()
        if _TARGET.endpoint or store is not None:
            with _open_atlas(store, paths) as atlas:
                report = run_validate(atlas, lang=_TARGET.lang, incremental=incremental)
        else:
            report = run_validate(paths, lang=_TARGET.lang, incremental=incremental)
        _echo(report.to_text())
        if not report.conforms:
            raise typer.Exit(1)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Count triples, triples per named graph and instances per class."""
    with _handled():
        paths = project_paths()
        with _open_atlas(store, paths) as atlas:
            typer.echo(atlas.stats().to_text())


@app.command()
def docs(
    check: Annotated[
        bool,
        typer.Option("--check", help="Only check that the generated documents are current."),
    ] = False,
) -> None:
    """Regenerate the documents of docs/ from the ontology, the data and the catalogue.

    docs/ontology.md, the reference in English and Spanish (docs/reference/<lang>/index.html),
    the class diagram (docs/diagram.dot, and docs/diagram.svg when Graphviz is installed) and the
    SPARQL examples with their answers (docs/sparql-examples.md, which needs the reasoner).
    With --check, list the documents that are out of date and exit 1 if there are any.
    """
    from .build.docs import GENERATED, stale_docs, write_docs

    def note(key: str, **values: object) -> None:
        typer.echo(
            t("cli.line.note", _TARGET.lang, message=t(key, _TARGET.lang, **values)), err=True
        )

    with _handled():
        paths = project_paths()
        if check:
            stale = stale_docs(paths, note=note)
            for relative in stale:
                _error(t("cli.docs.stale", _TARGET.lang, file=relative))
            if stale:
                raise typer.Exit(1)
            typer.echo(t("cli.docs.current", _TARGET.lang, n=len(GENERATED) + 1))
            return
        for path in write_docs(paths, note=note):
            typer.echo(t("cli.msg.wrote", _TARGET.lang, file=paths.relative(path)))


@app.command()
def describe(
    term: Annotated[
        str,
        typer.Argument(
            metavar="TERM",
            help="A term of the ontology: pa:Stage, Stage, or its full IRI.",
        ),
    ],
) -> None:
    """Print one term's documentation (label, definition, kind, domain and range, super- and
    subclasses, examples from the data) in the language of --lang."""
    from .build.reference import Reference, UnknownTermError

    with _handled():
        reference = Reference.load(project_paths())
        try:
            typer.echo(reference.describe(term, _TARGET.lang))
        except UnknownTermError as exc:
            message = t("cli.docs.unknown_term", _TARGET.lang, term=exc.name)
            if exc.candidates:
                message = t(
                    "cli.docs.did_you_mean",
                    _TARGET.lang,
                    message=message,
                    names=", ".join(exc.candidates),
                )
            _error(message)
            raise typer.Exit(2) from None


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
    from .sources import california

    with _handled():
        paths = project_paths()
        if check:
            out_of_date = california.stale(paths)
            for relative in out_of_date:
                _error(t("cli.msg.generate_stale", _TARGET.lang, file=relative))
            if out_of_date:
                raise typer.Exit(1)
            typer.echo(t("cli.msg.generated_current", _TARGET.lang, n=len(california.OUTPUT_FILES)))
            return
        written = california.write(paths)
        for relative in written:
            typer.echo(t("cli.msg.wrote", _TARGET.lang, file=relative))
        if not written:
            typer.echo(t("cli.msg.generated_current", _TARGET.lang, n=len(california.OUTPUT_FILES)))


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (only this machine by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 7878,
    store: StoreOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint", help="Serve this SPARQL endpoint's graph (as the global option)."
        ),
    ] = None,
    cors: Annotated[
        list[str] | None,
        typer.Option("--cors", help="An origin allowed to call from a browser (repeatable)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a query may run.", min=0.1)
    ] = DEFAULT_LIMITS.timeout,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", help="Memory (MB) of each query worker.", min=64)
    ] = DEFAULT_LIMITS.memory_mb or 2048,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Rows (or triples) a query may return.", min=1)
    ] = DEFAULT_LIMITS.max_rows,
    workers: Annotated[
        int, typer.Option("--workers", help="Query worker processes (queries side by side).", min=1)
    ] = 2,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            help="A SPARQL endpoint that SERVICE may call, as a full URL (repeatable; "
            "none by default).",
        ),
    ] = None,
) -> None:
    """Serve the graph over HTTP: a read-only SPARQL 1.1 endpoint (/sparql), Graph Store reads
    (/store), the query page (/query), every catalogue query as a web API (/api), the service
    description (/) and the ontology's documentation (/docs, /ont/TERM).

    Every query runs in a sandboxed worker under --timeout, --memory-mb and --max-rows; updates,
    LOAD and Graph Store writes are refused, and so is SERVICE unless it names an endpoint given
    with --allow-service.
    """
    _TARGET.endpoint = endpoint or _TARGET.endpoint
    with _handled():
        try:
            from .server import ServerSettings
            from .server.app import serve as run_server
        except ImportError:
            raise StoreError(t("cli.server.cli.needs_extra", _TARGET.lang)) from None
        from .catalogue.sparql import service_allow_list

        limits = DEFAULT_LIMITS.with_options(
            timeout=timeout,
            memory_mb=memory_mb,
            max_rows=max_rows,
            allow_service=service_allow_list(allow_service or ()),
        )
        paths = project_paths()
        atlas = _open_atlas(store, paths)
        settings = ServerSettings(
            host=host, port=port, limits=limits, workers=workers, cors=tuple(cors or ())
        )
        _note("cli.server.cli.serving", store=atlas.store.describe(), host=host, port=port)
        try:
            run_server(atlas, settings)
        finally:
            atlas.close()


@app.command()
def correction(
    file: Annotated[Path, typer.Argument(help="A correction report (JSON) from the explorer.")],
    store: StoreOption = None,
) -> None:
    """Check a correction report (pipeline-atlas-correction/1) made by the explorer's "Report a
    correction" box: print the node, its current label and the claim, or one line saying what
    is wrong and where (exit code 2). See docs/corrections.md for loading the fix."""
    from .explore.correction import check_report, read_report
    from .explore.graph import node_label, node_page

    with _handled():
        lang = _TARGET.lang
        report = read_report(file)
        paths = project_paths()
        with _open_atlas(store, paths) as atlas:
            problems = check_report(atlas, report, lang=lang)
            if problems:
                _error(t("cli.correction.problems", lang, file=file, problems="; ".join(problems)))
                raise typer.Exit(2)
            label = node_label(atlas, report.node, lang=lang).text(lang)
            files = node_page(atlas, report.node, lang=lang, neighbours=0).files
        typer.echo(t("cli.correction.node", lang, node=report.node))
        typer.echo(t("cli.correction.label", lang, label=label, seen=report.node_label))
        typer.echo(t("cli.correction.files", lang, files=", ".join(files)))
        typer.echo(t("cli.correction.claim", lang, wrong=report.what_is_wrong))
        typer.echo(t("cli.correction.should", lang, text=report.what_it_should_say))
        typer.echo(t("cli.correction.source", lang, source=report.source))
        typer.echo(t("cli.correction.ok", lang))


class PlanFormat(StrEnum):
    """Output formats of ``plan``."""

    md = "md"
    html = "html"
    pdf = "pdf"
    csv = "csv"


@app.command()
def plan(
    place: Annotated[
        str,
        typer.Argument(
            metavar="PLACE",
            help="A city or town (fresno, long-beach) or a county's unincorporated areas "
            "(los-angeles-county-unincorporated).",
        ),
    ],
    fmt: Annotated[
        PlanFormat, typer.Option("--format", "-f", help="md, html, pdf or csv.")
    ] = PlanFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (a PDF needs one).", dir_okay=False
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the plan for one place, in the language of --lang: every action at every stage,
    whom to press there, what the law already does and what still gets through."""
    with _handled():
        from .plan import city_plan

        if fmt is PlanFormat.pdf and output is None:
            raise ParameterError(t("cli.plan.pdf_needs_output", _TARGET.lang), param="output")
        atlas = _open_atlas(store, project_paths())
        try:
            found = city_plan(atlas, place, lang=_TARGET.lang)
        finally:
            atlas.close()
        if fmt is PlanFormat.pdf:
            data: bytes | str = found.to_pdf()
        elif fmt is PlanFormat.html:
            data = found.to_html()
        elif fmt is PlanFormat.csv:
            data = found.to_csv()
        else:
            data = found.to_markdown()
        if output is None:
            assert isinstance(data, str)
            _echo(data)
            return
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8", newline="")
        _note("cli.plan.written", path=output)


@app.command()
def ui(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (only this machine by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8501,
) -> None:
    """Start the organizers' explorer (Streamlit) on http://HOST:PORT, on the project's graph (or
    on the endpoint given with the global --endpoint option). Usage statistics are off."""
    with _handled():
        script = project_paths().root / "ui" / "streamlit_app.py"
        if not script.is_file():
            raise StoreError(t("cli.ui.no_app", _TARGET.lang, path=script))
        if importlib.util.find_spec("streamlit") is None:
            raise StoreError(t("cli.ui.needs_extra", _TARGET.lang))
        env = dict(os.environ)
        if _TARGET.endpoint:
            env[ENV_ENDPOINT] = _TARGET.endpoint
        command = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        _note("cli.ui.starting", host=host, port=port)
        raise typer.Exit(subprocess.call(command, env=env, cwd=script.parents[1]))


# --- exchange: import ---


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="Partner data (.ttl, .nt, .nq, .trig, .jsonld) or a correction report (.json).",
            dir_okay=False,
        ),
    ],
    organization: Annotated[
        str,
        typer.Option(
            "--organization",
            help="The organization that sent the data (never a person); recorded with it.",
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="The import graph's name, a slug (default: the file's name)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and show what would be added; write nothing.")
    ] = False,
    store: WritableStoreOption = None,
    lang: CommandLangOption = None,
) -> None:
    """Import partner data or a correction report into its own named graph of the store, after
    parsing, a clash check and SHACL validation; a refusal leaves the store exactly as it was.
    The data stays apart from the verified graph until `pipeline-atlas merge GRAPH`."""
    from .exchange.imports import import_file

    lang = _command_lang(lang)
    with _handled():
        result = import_file(
            file,
            organization=organization,
            graph=graph,
            store_dir=store,
            dry_run=dry_run,
            paths=project_paths(),
            lang=lang,
            on_write=lambda n: _note("cli.import.writing", quads=n),
        )
        _echo(result.to_text(lang))


@app.command()
def merge(
    graph: Annotated[
        str, typer.Argument(help="The import graph: its name or its IRI (…/graph/import/NAME).")
    ],
    store: WritableStoreOption = None,
    lang: CommandLangOption = None,
) -> None:
    """A maintainer's act: move an import graph into the verified graph, as the new source file
    graph_data/partners/NAME.ttl and its graph in the store; the import graph is removed."""
    from .exchange.imports import merge_import

    lang = _command_lang(lang)
    with _handled():
        result = merge_import(graph, store_dir=store, paths=project_paths(), lang=lang)
        _echo(result.to_text(lang))


# --- end exchange: import ---


# --- exchange: rdf ---


_COUNT_KEYS = {
    "triples": "cli.rdf.count.triples",
    "quads": "cli.rdf.count.quads",
    "graphs": "cli.rdf.count.graphs",
    "nodes": "cli.rdf.count.nodes",
    "edges": "cli.rdf.count.edges",
    "rows": "cli.rdf.count.rows",
    "tables": "cli.rdf.count.tables",
    "files": "cli.rdf.count.files",
    "relations": "cli.rdf.count.relations",
    "attributes": "cli.rdf.count.attributes",
    "node_classes": "cli.rdf.count.node_classes",
    "labels": "cli.rdf.count.labels",
    "relationship_types": "cli.rdf.count.relationship_types",
}


def _counts_text(counts: dict[str, int]) -> str:
    """``36504 triples, 23 named graphs`` in the language of --lang."""
    parts = []
    for name, n in counts.items():
        key = _COUNT_KEYS.get(name)
        if key is not None:
            parts.append(t(key, _TARGET.lang, n=n))
        else:
            parts.append(t("cli.rdf.count.other", _TARGET.lang, name=name, n=n))
    return ", ".join(parts)


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"{', '.join(EXPORT_FORMATS)}, or all (every file format into the --output "
            "folder).",
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="The file or folder to write (for postgres, a postgresql:// URL; for all, a "
            "folder).",
        ),
    ],
    store: StoreOption = None,
    lang: CommandLangOption = None,
) -> None:
    """Export the whole graph for a partner's database, labels in the language of --lang where
    the format has one language (RDF keeps every language). Files are written whole or not at
    all."""
    from .exchange import FILE_FORMATS, FORMATS, ExportError, export_all
    from .exchange import export as run_export

    lang = _command_lang(lang)
    with _handled():
        if fmt != "all" and fmt not in FORMATS:
            formats = ", ".join(FORMATS)
            raise ExportError(t("cli.rdf.unknown_format", lang, format=fmt, formats=formats))
        paths = project_paths()
        with _open_atlas(store, paths) as atlas:
            if fmt == "all":
                results = export_all(atlas, folder=output, lang=lang)
            else:
                results = [run_export(atlas, format=fmt, output=output, lang=lang)]
        for result in results:
            outputs = ", ".join(result.outputs)
            counts = _counts_text(dict(result.counts))
            line = t("cli.rdf.wrote", lang, format=result.format, output=outputs, counts=counts)
            typer.echo(line)
        if fmt == "all":
            typer.echo(t("cli.rdf.wrote_all", lang, n=len(FILE_FORMATS), folder=output))


@app.command("diff")
def diff_command(
    old: Annotated[
        Path, typer.Argument(help="The old version: a store folder or an RDF export file.")
    ],
    new: Annotated[
        Path, typer.Argument(help="The new version: a store folder or an RDF export file.")
    ],
    lang: CommandLangOption = None,
) -> None:
    """List what changed between two versions of the graph, node by node, in the language of
    --lang. Exit code 0 when both make the same statements, 1 when they differ, 2 when one
    cannot be read."""
    from .exchange.diff import diff_paths

    lang = _command_lang(lang)
    with _handled():
        result = diff_paths(old, new, lang=lang)
        _echo(result.to_text())
        if not result.same:
            raise typer.Exit(1)


# --- end exchange: rdf ---


def main() -> None:
    """Console entry point (``pipeline-atlas``)."""
    app(prog_name="pipeline-atlas")
