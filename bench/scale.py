"""The scale generator (benchmark issue, point 1): the real graph's structure for all US states,
synthetic, deterministic from a seed, in four sizes.

    python bench/scale.py [--sizes shipped,states-8,national,national-x4] [--seed 2026]

How it is made. The shipped graph's place-level data (the California graphs of counties, cities,
their local bodies and offices, police, jails, county boundaries, communities, local laws,
287(g) agreements and programs: every node that is the subject of a triple there, about 2,400
nodes and 31,000 triples) is the template. Each *synthetic state* is one copy of that template
with every node's IRI and every graph's name moved under its own namespace
(``https://w3id.org/pipeline-atlas/synthetic/s07/…``) and every label marked "(synthetic state 7)"
/ "(estado sintético 7)". Links to what all states share (the ontology, the stages, the generic
bodies, the information flows, the actions, the state and federal bodies, the vocabularies) are
kept, so the competency questions find the synthetic places as they find the real ones. A seeded
random choice leaves out 109 of the 482 cities of each copy (and their bodies and offices), so
that 51 states hold about as many cities as the United States: 51 x 373 = 19,023 cities and
51 x 58 = 2,958 counties (the issue asks for about 19,000 cities and 3,100 counties). The
real graph is in every size, unchanged, in its own graphs.

The sizes (synthetic states on top of the shipped graph):

- ``shipped``: the shipped graph alone (``build/store``, as ``make build`` makes it);
- ``states-8``: eight synthetic states;
- ``national``: 51 synthetic states, the size of the United States;
- ``national-x4``: 204 synthetic states, the United States four times over: the stress size
  past 5 million triples (the national graph at this model's detail holds about 1.3 million).

Each size is written once to ``build/bench/data/<size>.nq`` (N-Quads) and loaded once into the
store directory ``build/bench/stores/<size>/``; both are made again when the shipped store or
this file changes. Nothing here touches ``build/store`` or ``graph_data/``: the synthetic data is
never mixed into the real data.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import random
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_BUILD, ROOT  # bench/ is not a package

SIZES: dict[str, int] = {"shipped": 0, "states-8": 8, "national": 51, "national-x4": 204}
SEED = 2026
# Raise it when a change here changes the data made: the sizes made before are then made again.
GENERATOR_VERSION = 1
CITIES_KEPT = 373  # of the 482 cities in each copy: 51 states x 373 = 19,023 cities

ID = "https://w3id.org/pipeline-atlas/id/"
ONT = "https://w3id.org/pipeline-atlas/ont/"
GRAPH_DATA = "https://w3id.org/pipeline-atlas/graph/graph_data/"
SYNTHETIC = "https://w3id.org/pipeline-atlas/synthetic/"
TEMPLATE_GRAPHS = tuple(
    GRAPH_DATA + "california/" + name
    for name in (
        "local-bodies",
        "cities",
        "counties",
        "county-boundaries",
        "communities",
        "local-laws",
        "agreements-287g",
        "programs",
    )
)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABELS = frozenset(
    {
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    }
)
CITY = ox.NamedNode(ONT + "City")
# What ties a node to a city, so that a city left out takes its bodies and offices with it.
BELONGS = frozenset(
    {
        ONT + "hasJurisdiction",
        "http://www.w3.org/ns/org#postIn",
        "http://www.w3.org/ns/org#subOrganizationOf",
    }
)
SHIPPED_STORE = ROOT / "build" / "store"
DATA = BENCH_BUILD / "data"
STORES = BENCH_BUILD / "stores"


def real_quads(store: Path = SHIPPED_STORE) -> list[ox.Quad]:
    """Every quad of the shipped store (``make build`` makes it)."""
    if not (store / "CURRENT").is_file():
        raise SystemExit(f"no shipped store at {store}: run `make build` first")
    s = ox.Store.read_only(str(store))
    try:
        return list(s.quads_for_pattern(None, None, None, None))
    finally:
        del s


class Template:
    """The place-level part of the real graph, ready to copy."""

    def __init__(self, quads: Sequence[ox.Quad]) -> None:
        graphs = {ox.NamedNode(g) for g in TEMPLATE_GRAPHS}
        owned: set[ox.NamedNode | ox.BlankNode] = set()
        for q in quads:
            if q.graph_name in graphs:
                owned.add(q.subject)
        self.owned = frozenset(owned)
        self.quads = [q for q in quads if q.subject in owned]
        cities = {q.subject for q in self.quads if q.predicate == RDF_TYPE and q.object == CITY}
        self.cities = sorted(cities, key=lambda n: n.value)
        # node -> the cities it belongs to (its jurisdiction, the body its office is a post in)
        self.belongs: dict[ox.NamedNode | ox.BlankNode, set[object]] = {}
        for q in self.quads:
            if q.predicate.value in BELONGS and q.object in owned:
                self.belongs.setdefault(q.subject, set()).add(q.object)

    def left_out(self, rng: random.Random, keep: int) -> frozenset[object]:
        """The cities a copy leaves out (seeded), with every node that belongs to one of them."""
        dropped: set[object] = set(rng.sample(self.cities, max(0, len(self.cities) - keep)))
        changed = True
        while changed:
            changed = False
            for node, parents in self.belongs.items():
                if node not in dropped and parents & dropped:
                    dropped.add(node)
                    changed = True
        return frozenset(dropped)


def _graph_name(graph: ox.NamedNode | ox.DefaultGraph, prefix: str) -> ox.NamedNode:
    local = graph.value.rsplit("/", 1)[-1] if isinstance(graph, ox.NamedNode) else "default"
    return ox.NamedNode(f"{prefix}graph/{local}")


def synthetic_state(template: Template, number: int, rng: random.Random) -> Iterator[ox.Quad]:
    """The quads of synthetic state ``number``: one copy of the template in its own namespace."""
    prefix = f"{SYNTHETIC}s{number:03d}/"
    dropped = template.left_out(rng, CITIES_KEPT)
    en, es = f" (synthetic state {number})", f" (estado sintético {number})"
    moved: dict[object, ox.NamedNode | ox.BlankNode] = {}

    def move(term: object) -> object:
        if term in moved:
            return moved[term]
        if isinstance(term, ox.BlankNode):
            new: ox.NamedNode | ox.BlankNode = ox.BlankNode(f"s{number:03d}{term.value}")
        elif isinstance(term, ox.NamedNode) and term in template.owned:
            new = ox.NamedNode(prefix + "id/" + term.value[len(ID) :])
        else:
            return term
        moved[term] = new
        return new

    for q in template.quads:
        if q.subject in dropped or q.object in dropped:
            continue
        obj = q.object
        if isinstance(obj, ox.Literal) and q.predicate.value in LABELS:
            suffix = es if obj.language == "es" else en
            obj = ox.Literal(obj.value + suffix, language=obj.language) if obj.language else obj
        else:
            obj = move(obj)
        yield ox.Quad(move(q.subject), q.predicate, obj, _graph_name(q.graph_name, prefix))
    yield from _about(number, prefix)


def _about(number: int, prefix: str) -> Iterator[ox.Quad]:
    """Each synthetic state says what it is, in its own graph."""
    graph = ox.NamedNode(prefix + "graph/about")
    node = ox.NamedNode(prefix.rstrip("/"))
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    dcterms = "http://purl.org/dc/terms/"
    yield ox.Quad(node, RDF_TYPE, ox.NamedNode("http://rdfs.org/ns/void#Dataset"), graph)
    for text, lang in (
        (f"Synthetic state {number}: benchmark data, not a real place", "en"),
        (f"Estado sintético {number}: datos de prueba de rendimiento, no un lugar real", "es"),
    ):
        yield ox.Quad(node, ox.NamedNode(rdfs + "label"), ox.Literal(text, language=lang), graph)
    yield ox.Quad(
        node,
        ox.NamedNode(dcterms + "source"),
        ox.Literal("bench/scale.py: a copy of the shipped graph's California place-level data"),
        graph,
    )


def synthetic_quads(states: int, real: Sequence[ox.Quad], seed: int = SEED) -> Iterator[ox.Quad]:
    """The synthetic quads of a size with ``states`` synthetic states (deterministic)."""
    if states == 0:
        return
    template = Template(real)
    rng = random.Random(seed)
    for number in range(1, states + 1):
        yield from synthetic_state(template, number, rng)


def _fingerprint(size: str, seed: int) -> str:
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{size}:{SIZES[size]}:{seed}".encode())
    current = SHIPPED_STORE / "CURRENT"
    if current.is_file():
        for f in sorted(SHIPPED_STORE.iterdir()):
            digest.update(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _fresh(path: Path, stamp: str) -> bool:
    marker = path.with_name(path.name + ".stamp")
    return path.exists() and marker.is_file() and marker.read_text() == stamp


def _stamp(path: Path, stamp: str) -> None:
    path.with_name(path.name + ".stamp").write_text(stamp)


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process at a time makes a size (several benchmarks may ask for it together)."""
    BENCH_BUILD.mkdir(parents=True, exist_ok=True)
    with (BENCH_BUILD / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def nquads(size: str, *, seed: int = SEED, log: bool = True) -> Path:
    """The N-Quads file of ``size`` (real + synthetic), written once and reused."""
    with _locked(f"data-{size}"):
        return _nquads(size, seed=seed, log=log)


def _nquads(size: str, *, seed: int, log: bool) -> Path:
    path = DATA / f"{size}.nq"
    stamp = _fingerprint(size, seed)
    if _fresh(path, stamp):
        return path
    start = time.perf_counter()
    DATA.mkdir(parents=True, exist_ok=True)
    real = real_quads()
    tmp = path.with_suffix(".nq.tmp")
    with tmp.open("wb") as out:
        ox.serialize(real, out, format=ox.RdfFormat.N_QUADS)
        _write_chunks(synthetic_quads(SIZES[size], real, seed), out)
    tmp.replace(path)
    _stamp(path, stamp)
    if log:
        print(f"scale: wrote {path} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


def _write_chunks(quads: Iterable[ox.Quad], out: object, chunk: int = 200_000) -> None:
    batch: list[ox.Quad] = []
    for q in quads:
        batch.append(q)
        if len(batch) >= chunk:
            ox.serialize(batch, out, format=ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]
            batch.clear()
    if batch:
        ox.serialize(batch, out, format=ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]


def store(size: str, *, seed: int = SEED, log: bool = True) -> Path:
    """The pyoxigraph store directory of ``size`` (``Atlas.open`` opens it), loaded once and
    reused. ``shipped`` is a copy of ``build/store``'s data, so that benchmarks never hold the
    project's own store open."""
    with _locked(f"store-{size}"):
        return _store(size, seed=seed, log=log)


def _store(size: str, *, seed: int, log: bool) -> Path:
    path = STORES / size
    stamp = _fingerprint(size, seed)
    if _fresh(path, stamp) and (path / "CURRENT").is_file():
        return path
    source = nquads(size, seed=seed, log=log)
    start = time.perf_counter()
    STORES.mkdir(parents=True, exist_ok=True)
    tmp = STORES / f".{size}.loading"
    shutil.rmtree(tmp, ignore_errors=True)
    s = ox.Store(str(tmp))
    s.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    s.flush()
    s.optimize()
    del s
    shutil.rmtree(path, ignore_errors=True)
    tmp.replace(path)
    _stamp(path, stamp)
    if log:
        print(f"scale: loaded {path} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


def quad_count(size: str, *, seed: int = SEED) -> int:
    """Quads in ``size`` (lines of its N-Quads file)."""
    path = nquads(size, seed=seed)
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def graphs(size: str, *, seed: int = SEED) -> dict[str, list[ox.Quad]]:
    """``size`` in memory, named graph by named graph (IRI → quads)."""
    out: dict[str, list[ox.Quad]] = {}
    with nquads(size, seed=seed).open("rb") as f:
        for q in ox.parse(f, format=ox.RdfFormat.N_QUADS):
            out.setdefault(q.graph_name.value, []).append(q)
    return out


def size_names(text: str | None) -> list[str]:
    """``--sizes a,b`` (default: all four), checked against :data:`SIZES`."""
    if not text:
        return list(SIZES)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    return names


COUNTS = """
PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>
SELECT ?kind (COUNT(DISTINCT ?node) AS ?n) WHERE {
  VALUES ?kind { pa:County pa:City pa:UnincorporatedArea pa:LegislativeBody
                 pa:LawEnforcementAgency pa:CustodialAgency pa:Office }
  ?node a ?kind
} GROUP BY ?kind
"""
COUNTED = (
    "County",
    "City",
    "UnincorporatedArea",
    "LegislativeBody",
    "LawEnforcementAgency",
    "CustodialAgency",
    "Office",
)


def counts(size: str) -> dict[str, int]:
    """Quads, named graphs and instances of the main place-level classes in ``size``'s store."""
    s = ox.Store.read_only(str(store(size, log=False)))
    try:
        out = {"quads": len(s), "graphs": sum(1 for _ in s.named_graphs())}
        for row in s.query(COUNTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
            out[row["kind"].value.rsplit("/", 1)[-1]] = int(row["n"].value)
        return out
    finally:
        del s


def report(sizes: Sequence[str], seed: int) -> str:
    """The section of docs/performance.md that describes the sizes."""
    from common import machine

    head = ["Size", "Synthetic states", "Quads", "Named graphs", *COUNTED]
    lines = [
        BEGIN,
        "",
        f"The sizes, made by `bench/scale.py` with seed {seed} ({machine()}). Every size holds "
        "the shipped graph unchanged; the synthetic states are copies of its California "
        "place-level data in the namespace `https://w3id.org/pipeline-atlas/synthetic/` and "
        "their own named graphs (see the script's docstring). They are benchmark data, not "
        "real places.",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    for size in sizes:
        c = counts(size)
        cells = [f"{SIZES[size]}", f"{c['quads']:,}", f"{c['graphs']:,}"]
        cells += [f"{c.get(name, 0):,}" for name in COUNTED]
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


BEGIN = "<!-- bench/scale.py: begin -->"
END = "<!-- bench/scale.py: end -->"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"comma-separated, from {', '.join(SIZES)}")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--stores", action="store_true", help="also load each size's store")
    parser.add_argument(
        "--output", type=Path, help="write the sizes' table here (docs/performance.md)"
    )
    args = parser.parse_args(argv)
    summary = {}
    for size in size_names(args.sizes):
        path = store(size, seed=args.seed) if args.stores else nquads(size, seed=args.seed)
        summary[size] = {"path": str(path), "quads": quad_count(size, seed=args.seed)}
    print(json.dumps(summary, indent=2))
    if args.output is not None:
        from report import write_section

        sizes = size_names(args.sizes)
        for size in sizes:
            store(size, seed=args.seed)
        write_section(args.output, report(sizes, args.seed), begin=BEGIN, end=END, heading="Sizes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
