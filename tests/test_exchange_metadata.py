"""The dataset's DCAT/VoID description (pag:metadata): counts exactly as SPARQL counts them over
the graphs, a licence only where a project file states one, every source cited by some graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipeline_atlas.exchange.metadata import SOURCES, dataset_metadata
from pipeline_atlas.namespaces import METADATA_GRAPH, PREFIXES
from pipeline_atlas.paths import project_paths

PREFIX = "\n".join(
    f"PREFIX {p}: <{PREFIXES[p]}>" for p in ("void", "dcterms", "paid", "rdfs", "dcat", "skos")
)

NOT_METADATA = f"FILTER(?g != <{METADATA_GRAPH}>)"


@pytest.fixture(scope="module")
def graphs(unreasoned_graphs: dict[str, list[ox.Quad]]) -> dict[str, list[ox.Quad]]:
    return unreasoned_graphs


@pytest.fixture(scope="module")
def store(graphs: dict[str, list[ox.Quad]]) -> ox.Store:
    """The graphs and their description, in one pyoxigraph store."""
    s = ox.Store()
    s.extend(q for quads in graphs.values() for q in quads)
    s.extend(dataset_metadata(graphs))
    return s


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    result = store.query(PREFIX + "\n" + query)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def number(term: object) -> int:
    assert isinstance(term, ox.Literal)
    assert term.datatype.value == PREFIXES["xsd"] + "integer"
    return int(term.value)


def test_the_description_is_in_its_own_graph(graphs: dict[str, list[ox.Quad]]) -> None:
    quads = dataset_metadata(graphs)
    assert quads and {q.graph_name.value for q in quads} == {METADATA_GRAPH}  # type: ignore[union-attr]
    assert len(set(quads)) == len(quads)


def test_total_triples_is_the_distinct_triples_of_the_other_graphs(store: ox.Store) -> None:
    (expected,) = select(
        store,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{
          SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_METADATA} }}
        }}""",
    )
    (stated,) = select(
        store, f"SELECT ?n WHERE {{ GRAPH <{METADATA_GRAPH}> {{ paid:dataset void:triples ?n }} }}"
    )
    assert number(stated["n"]) == number(expected["n"])


def test_each_named_graph_is_a_subset_with_its_triples(
    store: ox.Store, graphs: dict[str, list[ox.Quad]]
) -> None:
    expected = {
        row["g"].value: number(row["n"])
        for row in select(
            store,
            f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
              SELECT DISTINCT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_METADATA} }}
            }} GROUP BY ?g""",
        )
    }
    stated = {
        row["g"].value: number(row["n"])
        for row in select(
            store,
            f"""SELECT ?g ?n WHERE {{ GRAPH <{METADATA_GRAPH}> {{
              paid:dataset void:subset ?g . ?g void:triples ?n ; a void:Dataset ;
              rdfs:label ?en, ?es FILTER(lang(?en) = "en" && lang(?es) = "es") }} }}""",
        )
    }
    assert stated == expected
    assert set(expected) == set(graphs) - {METADATA_GRAPH}


def test_class_partitions_count_the_instances(store: ox.Store) -> None:
    expected = {
        row["c"].value: number(row["n"])
        for row in select(
            store,
            f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
              GRAPH ?g {{ ?s a ?c }} {NOT_METADATA} FILTER(isIRI(?c)) }} GROUP BY ?c""",
        )
    }
    stated = {
        row["c"].value: number(row["n"])
        for row in select(
            store,
            f"""SELECT ?c ?n WHERE {{ GRAPH <{METADATA_GRAPH}> {{
              paid:dataset void:classPartition [ void:class ?c ; void:entities ?n ] }} }}""",
        )
    }
    assert stated == expected
    assert expected[PREFIXES["pa"] + "Stage"] > 0


def test_every_source_has_its_terms_from_a_project_file(store: ox.Store) -> None:
    """A licence IRI only where the file that states the terms names it; the words of the terms
    are in that file, on the source's own line for a SOURCES.md row; rights in en and es."""
    root = project_paths().root
    for source in SOURCES:
        text = (root / source.stated_in).read_text(encoding="utf-8")
        lines = [
            line
            for line in text.splitlines()
            if source.stated_in.endswith("LICENSE")
            or any(name in line for name in source.cited_as if "://" not in name)
        ]
        assert any(source.evidence in line for line in lines), source.iri
        if source.licence == "https://creativecommons.org/licenses/by-sa/4.0/":
            assert any("CC BY-SA 4.0" in line for line in lines)
        elif source.licence == "http://spdx.org/licenses/ISC":
            assert any("ISC" in line for line in lines)
        else:
            assert source.licence is None
        rows = select(
            store,
            f"""SELECT ?en ?es ?cite WHERE {{ GRAPH <{METADATA_GRAPH}> {{
              paid:dataset dcterms:source <{source.iri}> .
              <{source.iri}> dcterms:rights ?en, ?es ; dcterms:bibliographicCitation ?cite
              FILTER(lang(?en) = "en" && lang(?es) = "es") }} }}""",
        )
        assert len(rows) == 1, source.iri


def test_every_source_is_cited_by_a_graph_and_the_subsets_say_which(store: ox.Store) -> None:
    cited = {
        row["src"].value: {r for r in row["gs"].value.split(" ")}
        for row in select(
            store,
            f"""SELECT ?src (GROUP_CONCAT(STR(?g)) AS ?gs) WHERE {{ GRAPH <{METADATA_GRAPH}> {{
              ?g a void:Dataset ; dcterms:references ?src }} }} GROUP BY ?src""",
        )
    }
    assert set(cited) == {source.iri for source in SOURCES}
    pag = PREFIXES["pag"]
    assert cited[f"{PREFIXES['paid']}dataset/source/cities-and-towns"] >= {
        pag + "graph_data/california/cities",
        pag + "graph_data/california/local-bodies",
    }
    assert pag + "graph_data/seed/stages" in cited[PREFIXES["source"] + "actions-for-organizers"]


def test_the_graphs_and_their_description_pass_validation(
    graphs: dict[str, list[ox.Quad]],
) -> None:
    """SHACL and the quality-check queries accept the description (it adds no node that a check
    would refuse, such as a subset with background facts and no confidence)."""
    from pipeline_atlas.build.validate import validate

    store = ox.Store()
    store.extend(q for quads in graphs.values() for q in quads)
    store.extend(dataset_metadata(graphs))
    report = validate(store, checks=("shacl", "qc"))
    assert report.conforms, report.to_text()[:3000]


def test_describing_twice_gives_the_same_description(graphs: dict[str, list[ox.Quad]]) -> None:
    """No clock time: the same graphs give the same description, and a pag:metadata graph
    already there is not counted."""
    first = dataset_metadata(graphs)
    again = dataset_metadata({**graphs, METADATA_GRAPH: first})
    left, right = ox.Dataset(first), ox.Dataset(again)
    left.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    right.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert left == right
