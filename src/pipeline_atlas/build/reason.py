"""The OWL reasoner: consistency and classification with owlready2 and HermiT.

:func:`infer` writes the ontology and the graph data as N-Triples into the build directory
(owlready2 0.51 cannot read Turtle), loads them into a fresh owlready2 ``World``, runs HermiT with
``infer_property_values=True`` and returns the inferred triples that were not asserted: the defined
classes (``pa:InformationBlockingAction``, ``pa:LegalRepresentationAction``), the property chain
``pa:canBeBlockedBy`` and its inverse ``pa:canBlock``, and the subclass links HermiT finds.

* An inconsistent ontology, or a class that can have no member, raises
  :class:`InconsistentOntologyError` (a :class:`~pipeline_atlas.errors.ReasonerError`) naming the
  classes, and the individuals typed with two disjoint classes when there are any.
* The answer is cached in ``<build>/reasoner/<sha256>.nt``, keyed by a hash of the input (blank
  nodes canonicalised, so re-parsing the same files hits the cache): a second build is instant.
* HermiT needs Java; without ``java`` on the PATH a :class:`ReasonerError` says how to install it.
  Java's output is captured, never printed.

The graphs that are not ontology or data (the reasoner's own ``pag:inferred`` and the SHACL shapes
``pag:ontology/shapes``) are left out of the input, so an Atlas can pass its whole store.

>>> axioms = ox.parse(
...     "@prefix owl: <http://www.w3.org/2002/07/owl#> . "
...     "<https://e.org/A> a owl:Class . <https://e.org/a> a <https://e.org/A> .",
...     format=ox.RdfFormat.TURTLE)
>>> len(reasoner_input(axioms))
2
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import ReasonerError
from ..namespaces import INFERRED_GRAPH, PREFIXES, shorten
from ..paths import project_paths

__all__ = [
    "CACHE_VERSION",
    "SHAPES_GRAPH",
    "InconsistentOntologyError",
    "cache_key",
    "check_consistency",
    "infer",
    "reasoner_input",
]

log = logging.getLogger(__name__)

CACHE_VERSION = "pipeline-atlas-reasoner-1"
"""Part of every cache key; change it when the reasoner's output changes for the same input."""

SHAPES_GRAPH = PREFIXES["pag"] + "ontology/shapes"
"""The named graph of ``ontology/shapes.ttl``; SHACL is not OWL, so the reasoner skips it."""

_SKIPPED_GRAPHS = frozenset({INFERRED_GRAPH, SHAPES_GRAPH})
_SH = PREFIXES["sh"]
_PASH = PREFIXES["pash"]
_OWL = PREFIXES["owl"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_INFERENCES_ONTOLOGY = "http://inferrences/"  # owlready2's name (sic) for where it puts results
_TRIVIAL_OBJECTS = frozenset({_OWL + "Thing", _OWL + "NamedIndividual"})
_JRE_HINT = "install a Java runtime (Debian: apt-get install default-jre-headless)"

Source = Iterable[ox.Triple | ox.Quad] | ox.Store


class InconsistentOntologyError(ReasonerError):
    """HermiT found the ontology and data inconsistent, or some classes unsatisfiable.

    ``classes`` are the IRIs of the unsatisfiable (or clashing disjoint) classes and
    ``individuals`` the IRIs of the individuals found in a clash; either may be empty when the
    cause could not be pinned down.
    """

    def __init__(
        self,
        message: str,
        *,
        classes: Sequence[str] = (),
        individuals: Sequence[str] = (),
    ) -> None:
        self.classes = tuple(classes)
        self.individuals = tuple(individuals)
        super().__init__(message)


def _quads(source: Source) -> Iterable[ox.Triple | ox.Quad]:
    if isinstance(source, ox.Store):
        return source.quads_for_pattern(None, None, None, None)
    return source


def _owned_by_shapes(triples: Sequence[ox.Triple]) -> set[ox.NamedNode | ox.BlankNode]:
    """Subjects that belong to a SHACL shapes graph: ``pash:`` IRIs and the blank nodes they
    reach (property-shape lists, ``sh:or`` members, prefix declarations)."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
    roots: list[ox.NamedNode | ox.BlankNode] = []
    for t in triples:
        subject = t.subject
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            continue
        by_subject.setdefault(subject, []).append(t)
        is_shape = isinstance(subject, ox.NamedNode) and subject.value.startswith(_PASH)
        if is_shape or t.predicate.value.startswith(_SH):
            roots.append(subject)
    owned: set[ox.NamedNode | ox.BlankNode] = set()
    while roots:
        node = roots.pop()
        if node in owned:
            continue
        owned.add(node)
        for t in by_subject.get(node, ()):
            if isinstance(t.object, ox.BlankNode):
                roots.append(t.object)
    return owned


def reasoner_input(source: Source) -> list[ox.Triple]:
    """The triples the reasoner reads: every quad's triple except those of ``pag:inferred`` and
    the SHACL shapes (the ``pag:ontology/shapes`` graph, or any ``pash:`` shape given as bare
    triples), without duplicates, in a stable order.

    >>> shape = ox.Triple(ox.NamedNode(PREFIXES["pash"] + "S"),
    ...                   ox.NamedNode(PREFIXES["sh"] + "path"), ox.NamedNode("https://e.org/p"))
    >>> reasoner_input([shape])
    []
    """
    seen: dict[ox.Triple, None] = {}
    for item in _quads(source):
        if isinstance(item, ox.Quad):
            graph = item.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value in _SKIPPED_GRAPHS:
                continue
            seen.setdefault(ox.Triple(item.subject, item.predicate, item.object), None)
        else:
            seen.setdefault(item, None)
    triples = list(seen)
    owned = _owned_by_shapes(triples)
    if owned:
        triples = [t for t in triples if t.subject not in owned]
    return triples


def cache_key(triples: Iterable[ox.Triple]) -> str:
    """A SHA-256 of the input that does not depend on blank-node labels or triple order.

    Triples without blank nodes are hashed as sorted N-Triples; those with blank nodes are first
    relabelled canonically (rdflib's :func:`~rdflib.compare.to_canonical_graph`).

    >>> a = ox.parse("<https://e.org/s> <https://e.org/p> [ <https://e.org/q> 1 ] .",
    ...              format=ox.RdfFormat.TURTLE)
    >>> b = ox.parse("<https://e.org/s> <https://e.org/p> [ <https://e.org/q> 1 ] .",
    ...              format=ox.RdfFormat.TURTLE)
    >>> cache_key(a) == cache_key(b)
    True
    """
    ground: list[str] = []
    blank: list[ox.Triple] = []
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            blank.append(t)
        else:
            ground.append(str(t))
    digest = hashlib.sha256()
    digest.update(CACHE_VERSION.encode())
    digest.update(b"\n")
    for line in sorted(ground):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    if blank:
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph

        graph = Graph()
        graph.parse(data=_ntriples(blank), format="nt")
        canonical = to_canonical_graph(graph).serialize(format="nt")
        digest.update(b"--\n")
        for line in sorted(filter(None, canonical.splitlines())):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def _ntriples(triples: Iterable[ox.Triple]) -> str:
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    return data.decode("utf-8") if data else ""


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _find_java(java: str | None) -> str:
    found = shutil.which(java or "java")
    if found is None:
        named = f"'{java}'" if java else "'java' on the PATH"
        raise ReasonerError(f"the reasoner (HermiT) needs Java but found no {named}; {_JRE_HINT}")
    return found


def _java_reason(text: str) -> str:
    """The useful line of a Java error (the exception's message), without the stack trace."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("at ")]
    if lines and lines[0].startswith("Java error message is"):
        lines = lines[1:]
    return " ".join(lines[:4])[:500] or "no message"


def infer(
    source: Source | None = None,
    *,
    build_dir: Path | None = None,
    cache: bool = True,
    java: str | None = None,
    memory_mb: int = 2000,
) -> list[ox.Triple]:
    """Run HermiT over ``source`` and return the inferred triples not already asserted.

    ``source`` is an iterable of pyoxigraph triples or quads, or a :class:`pyoxigraph.Store`
    (its ``pag:inferred`` and ``pag:ontology/shapes`` graphs are skipped); ``None`` reads the
    project's ``ontology/pipeline-atlas.ttl`` and every ``graph_data/**`` file. Generated files
    (the N-Triples handed to owlready2 and the cache) go to ``build_dir/reasoner/`` (default: the
    project's build directory). With ``cache``, an input seen before is answered from the cache
    without starting Java. ``java`` names the Java executable and ``memory_mb`` its heap.

    Only triples between IRIs are returned (HermiT's statements about anonymous class
    expressions are dropped), sorted.

    Raises :class:`InconsistentOntologyError` if the ontology and data are inconsistent or a class
    is unsatisfiable, and :class:`~pipeline_atlas.errors.ReasonerError` if Java is missing or
    HermiT fails.
    """
    triples = reasoner_input(source if source is not None else _project_quads())
    build = Path(build_dir) if build_dir is not None else project_paths().build
    workdir = build / "reasoner"
    key = cache_key(triples)
    cached = workdir / f"{key}.nt"
    if cache and cached.is_file():
        try:
            return sorted(_parse_ntriples(cached.read_bytes()), key=str)
        except (SyntaxError, OSError) as exc:  # a damaged cache file: reason again
            log.warning("ignoring unreadable reasoner cache %s: %s", cached, exc)
    inferred = _run_hermit(
        triples, workdir=workdir, key=key, java=_find_java(java), memory_mb=memory_mb
    )
    if cache:
        try:
            _write_atomic(cached, _ntriples(inferred))
        except OSError as exc:
            log.warning("cannot write reasoner cache %s: %s", cached, exc)
    return inferred


def _parse_ntriples(data: bytes) -> list[ox.Triple]:
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]


def check_consistency(source: Source | None = None, **options: Any) -> None:
    """Raise :class:`InconsistentOntologyError` if ``source`` is inconsistent (see
    :func:`infer`, whose options it takes; the answer is cached the same way)."""
    infer(source, **options)


def _project_quads() -> list[ox.Quad]:
    from .load import parse_files, source_files

    paths = project_paths()
    graphs = parse_files(source_files(paths), root=paths.root)
    return [q for quads in graphs.values() for q in quads]


def _run_hermit(
    triples: Sequence[ox.Triple], *, workdir: Path, key: str, java: str, memory_mb: int
) -> list[ox.Triple]:
    import owlready2
    from owlready2 import reasoning

    workdir.mkdir(parents=True, exist_ok=True)
    input_file = workdir / f"input-{key[:16]}.nt"
    _write_atomic(input_file, _ntriples(triples))
    chatter = io.StringIO()
    saved = (owlready2.JAVA_EXE, reasoning.JAVA_MEMORY)
    world = owlready2.World()
    try:
        owlready2.JAVA_EXE = java
        reasoning.JAVA_MEMORY = memory_mb
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
            with input_file.open("rb") as handle:
                world.get_ontology(input_file.resolve().as_uri()).load(
                    fileobj=handle, format="ntriples"
                )
            try:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=True,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
            except owlready2.OwlReadyInconsistentOntologyError:
                raise _explain_inconsistency(triples) from None
            except owlready2.OwlReadyJavaError as exc:
                raise ReasonerError(f"HermiT failed: {_java_reason(str(exc))}") from None
            except FileNotFoundError as exc:
                raise ReasonerError(f"cannot start Java ({exc}); {_JRE_HINT}") from None
            unsatisfiable = sorted(
                str(c.iri)
                for c in world.inconsistent_classes()
                if hasattr(c, "iri") and str(c.iri) != _OWL + "Nothing"
            )
            if unsatisfiable:
                names = ", ".join(shorten(c) for c in unsatisfiable)
                raise InconsistentOntologyError(
                    f"the ontology has unsatisfiable classes (no individual can belong to them): "
                    f"{names}",
                    classes=unsatisfiable,
                )
            out = io.BytesIO()
            world.get_ontology(_INFERENCES_ONTOLOGY).save(out, format="ntriples")
    finally:
        owlready2.JAVA_EXE, reasoning.JAVA_MEMORY = saved
        with contextlib.suppress(Exception):
            world.close()
        if chatter.getvalue().strip():
            log.debug("owlready2 said: %s", chatter.getvalue().strip())
    # kept when HermiT fails (to look at), removed once it has answered
    input_file.unlink(missing_ok=True)
    asserted = set(triples)
    inferred: set[ox.Triple] = set()
    for t in _parse_ntriples(out.getvalue()):
        if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
            continue
        if t.subject.value.rstrip("/") == _INFERENCES_ONTOLOGY.rstrip("/"):
            continue
        if t.predicate.value == _RDF_TYPE and t.object.value in _TRIVIAL_OBJECTS:
            continue
        if t not in asserted:
            inferred.add(t)
    return sorted(inferred, key=str)


def _explain_inconsistency(triples: Sequence[ox.Triple]) -> InconsistentOntologyError:
    """The error for an inconsistent ontology, naming individuals that belong (by assertion,
    subclass, domain or range) to two disjoint classes, when there are such."""
    from ..atlas import builtin_query
    from ..store.embedded import EmbeddedStore

    store = EmbeddedStore()
    store.replace_graphs({INFERRED_GRAPH: triples})
    result = store.query(builtin_query("reasoner-clashes").sparql, source="reasoner-clashes")
    clashes: list[tuple[str, str, str]] = []
    for row in result.terms:
        x, a, b = row["x"], row["a"], row["b"]
        if (
            isinstance(x, ox.NamedNode)
            and isinstance(a, ox.NamedNode)
            and isinstance(b, ox.NamedNode)
        ):
            clashes.append((x.value, a.value, b.value))
    if not clashes:
        return InconsistentOntologyError(
            "the ontology and data are inconsistent (HermiT finds no model); no individual "
            "belongs to two disjoint classes, so look for a functional property with two "
            "different values or a cardinality or value restriction that the data breaks"
        )
    parts = [
        f"{shorten(x)} is both {shorten(a)} and {shorten(b)}, which are disjoint"
        for x, a, b in clashes[:5]
    ]
    more = f" (and {len(clashes) - 5} more)" if len(clashes) > 5 else ""
    classes = sorted({c for _, a, b in clashes for c in (a, b)})
    individuals = sorted({x for x, _, _ in clashes})
    return InconsistentOntologyError(
        "the ontology and data are inconsistent: " + "; ".join(parts) + more,
        classes=classes,
        individuals=individuals,
    )
