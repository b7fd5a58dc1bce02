"""The benchmarks' scale generator (``bench/scale.py``): the synthetic states are deterministic,
live only in the synthetic namespace and graphs, and have the real graph's structure, so that the
competency questions find them. (Its speed is the benchmarks' business, not the tests'.)"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.store import EmbeddedStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import scale

ONT = "https://w3id.org/pipeline-atlas/ont/"
ID = "https://w3id.org/pipeline-atlas/id/"


@pytest.fixture(scope="module")
def real(unreasoned_graphs: dict[str, list[ox.Quad]]) -> list[ox.Quad]:
    return [q for quads in unreasoned_graphs.values() for q in quads]


@pytest.fixture(scope="module")
def two_states(real: list[ox.Quad]) -> list[ox.Quad]:
    return list(scale.synthetic_quads(2, real))


def _terms(quads: list[ox.Quad]) -> set[str]:
    out = set()
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode):
                out.add(term.value)
    return out


def test_the_same_seed_gives_the_same_quads(real: list[ox.Quad], two_states: list[ox.Quad]):
    assert list(scale.synthetic_quads(2, real)) == two_states
    assert list(scale.synthetic_quads(2, real, seed=7)) != two_states


def test_synthetic_data_stays_in_its_namespace_and_graphs(
    real: list[ox.Quad], two_states: list[ox.Quad]
):
    assert {q.graph_name.value.split("/graph/")[0] for q in two_states} == {
        scale.SYNTHETIC + "s001",
        scale.SYNTHETIC + "s002",
    }
    # Every node it mints is synthetic; a real IRI it uses is one the real graph has (shared
    # terms: the ontology, vocabularies, generic, state and federal bodies), never a real place.
    real_terms = _terms(real)
    minted = {t for t in _terms(two_states) if t not in real_terms}
    assert minted and all(t.startswith(scale.SYNTHETIC) for t in minted)
    template = scale.Template(real)
    assert not {t.value for t in template.owned if isinstance(t, ox.NamedNode)} & _terms(two_states)


def test_each_state_has_the_template_counties_and_the_kept_cities(
    real: list[ox.Quad], two_states: list[ox.Quad]
):
    kinds = Counter(
        (q.graph_name.value.split("/graph/")[0][-4:], q.object.value)
        for q in two_states
        if q.predicate == scale.RDF_TYPE and q.object.value in {ONT + "City", ONT + "County"}
    )
    real_counties = sum(
        1 for q in real if q.predicate == scale.RDF_TYPE and q.object.value == ONT + "County"
    )
    for state in ("s001", "s002"):
        assert kinds[(state, ONT + "County")] == real_counties
        assert kinds[(state, ONT + "City")] == scale.CITIES_KEPT


def test_a_left_out_city_takes_its_bodies_with_it(real: list[ox.Quad]):
    template = scale.Template(real)
    dropped = template.left_out(random.Random(1), scale.CITIES_KEPT)
    cities = [n for n in dropped if n in set(template.cities)]
    assert len(cities) == len(template.cities) - scale.CITIES_KEPT
    oakland_council = ox.NamedNode(ID + "body/oakland-city-council")
    assert oakland_council in template.owned
    assert (oakland_council in dropped) == (ox.NamedNode(ID + "jurisdiction/oakland") in dropped)


def test_the_questions_find_a_synthetic_city_as_they_find_the_real_one(
    real: list[ox.Quad], two_states: list[ox.Quad]
):
    """cq-015 (who governs a place) answers for a synthetic city with the same bodies as for
    the real city it copies, labels marked synthetic."""
    store = EmbeddedStore()
    graphs: dict[str, list[ox.Quad]] = {}
    for q in [*real, *two_states]:
        graphs.setdefault(q.graph_name.value, []).append(q)
    store.replace_graphs(graphs)
    atlas = Atlas(store)
    query = atlas.get_query("cq-015")
    synthetic = next(
        q.subject.value
        for q in two_states
        if q.predicate == scale.RDF_TYPE and q.object.value == ONT + "City"
    )
    original = ID + synthetic.split("/id/", 1)[1]
    number = int(synthetic.split("/synthetic/s", 1)[1][:3])
    suffix = f" (synthetic state {number})"
    mine = atlas.run(query, params={"place": synthetic}).rows
    theirs = atlas.run(query, params={"place": original}).rows
    assert theirs
    assert all(str(row["bodyLabel"]).endswith(suffix) for row in mine)
    assert sorted(
        (str(r["bodyLabel"]).removesuffix(suffix), r["kindLabel"], r["levelLabel"]) for r in mine
    ) == sorted((str(r["bodyLabel"]), r["kindLabel"], r["levelLabel"]) for r in theirs)
