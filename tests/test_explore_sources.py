"""pipeline_atlas.explore.sources: every source with its links, what it supports, how sure and
when last checked; the dataset; the whole graph as TriG."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.errors import ParameterError
from pipeline_atlas.explore.sources import (
    SourceEntry,
    dataset_info,
    filter_sources,
    find_urls,
    graph_download,
    source_rows,
    sources,
)

ID = "https://w3id.org/pipeline-atlas/id/"
CERTIORARI = "Certiorari denied on 15 Jun 2020 in United States v. California"
BRIEF_12 = "Pipeline Atlas domain brief, item 12 (ACLU SoCal; Press-Telegram)"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default(rebuild_stale=True)


@pytest.fixture(scope="module")
def english(atlas: Atlas) -> list[SourceEntry]:
    return sources(atlas, lang="en")


@pytest.fixture(scope="module")
def spanish(atlas: Atlas) -> list[SourceEntry]:
    return sources(atlas, lang="es")


def one(entries: list[SourceEntry], start: str) -> SourceEntry:
    found = [e for e in entries if e.text.startswith(start)]
    assert len(found) == 1, [e.text for e in found]
    return found[0]


def test_a_statute_source_lists_its_links_and_the_law_it_supports(
    english: list[SourceEntry], spanish: list[SourceEntry]
) -> None:
    entry = one(english, CERTIORARI)
    assert entry.links == (
        "http://amylhowe.com/2020/06/15/court-turns-down-governments-sanctuary-state-petition",
        "https://www.aalrr.com/newsroom-alerts-3735",
    )
    assert [(s.label, s.node) for s in entry.supports] == [
        ("California Values Act (SB 54)", "id/instrument/california-values-act")
    ]
    assert entry.confidence == ("Reported",)
    assert entry.last_checked == "2026-12-01"
    assert entry.has_link and not entry.document
    es = one(spanish, CERTIORARI)
    assert [s.label for s in es.supports] == ["Ley de Valores de California (SB 54)"]
    assert es.confidence == ("Informado",)
    assert es.key == entry.key


def test_a_citation_without_a_url_has_no_link(english: list[SourceEntry]) -> None:
    entry = one(english, BRIEF_12)
    assert entry.text == BRIEF_12
    assert entry.links == ()
    assert not entry.has_link
    assert [s.node for s in entry.supports] == [
        "id/instrument/los-angeles-county-ice-transfer-policy"
    ]
    row = source_rows([entry], lang="es")[0]
    assert row["Enlace"] == "sin enlace (solo una cita)"
    assert row["Datos respaldados"] == 1


def test_the_source_document_comes_first_with_its_page(english: list[SourceEntry]) -> None:
    first = english[0]
    assert first.document
    assert first.iri == ID + "source/actions-for-organizers"
    assert first.text == "Actions for organizers (California Immigrant Policy Center)"
    assert first.links == ("https://caimmigrant.org/what-we-do/policy/actions-for-organizers/",)
    supported = {s.node for s in first.supports}
    assert "id/action/city-justice-fund" in supported
    assert "id/glossary/justice-fund" in supported


def test_last_checked_is_the_latest_of_the_facts_citing_it(
    atlas: Atlas, english: list[SourceEntry]
) -> None:
    for entry in english:
        dates = [s.last_checked for s in entry.supports if s.last_checked]
        if not entry.document:
            assert entry.last_checked == (max(dates) if dates else None), entry.text
    # the 287(g) data's shared source: the agreements were last checked on 2026-11-28
    ddp = one(english, "ca_287g_agreements_historical_ddp.csv: Deportation Data Project")
    assert len(ddp.supports) == 5
    assert ddp.last_checked == "2026-11-28"


def test_every_cited_value_is_listed_once(atlas: Atlas, english: list[SourceEntry]) -> None:
    rows = atlas.store.query(
        "SELECT DISTINCT ?s WHERE { ?x <http://purl.org/dc/terms/source> ?s }", max_rows=None
    ).rows
    cited = {str(r["s"]) for r in rows}
    # the source document is cited (by the dataset) and quoted (its passages): one entry
    assert len(english) == len(cited) == len({e.key for e in english})
    assert {e.iri or e.text for e in english if e.iri or not e.document} == cited


def test_find_urls_strips_trailing_punctuation() -> None:
    assert find_urls("(see https://e.org/a_(b), and http://x.org/y.)") == (
        "https://e.org/a_(b)",
        "http://x.org/y",
    )


def test_filter_sources(english: list[SourceEntry]) -> None:
    found = filter_sources(english, "amylhowe")
    assert [e.text[:63] for e in found] == [CERTIORARI]
    assert filter_sources(english, "  ") == english
    by_fact = filter_sources(english, "California Values Act (SB 54)")
    assert one(by_fact, CERTIORARI)


def test_dataset_info(atlas: Atlas) -> None:
    en = dataset_info(atlas, lang="en")
    es = dataset_info(atlas, lang="es")
    assert en.title == "Pipeline Atlas: California's Arrest-to-Deportation Pipeline"
    assert es.title == "Pipeline Atlas: la cadena del arresto a la deportación en California"
    assert en.license == "https://creativecommons.org/licenses/by-sa/4.0/"
    # graph_data/dataset.ttl: dcat:version, dcterms:issued, dcterms:modified
    assert (en.version, en.issued, en.modified) == ("2026.12.01", "2026-12-01", "2026-12-01")
    assert en.latest_check == "2026-12-01"
    assert en.release == "0.1.0"


def test_graph_download_keeps_every_quad_and_graph(atlas: Atlas) -> None:
    data = graph_download(atlas)
    parsed = ox.Store()
    parsed.load(data, format=ox.RdfFormat.TRIG)
    assert len(parsed) == atlas.store.quads_count()  # type: ignore[attr-defined]
    graphs = sorted(g.value for g in parsed.named_graphs() if isinstance(g, ox.NamedNode))
    assert graphs == atlas.store.named_graphs()
    assert "https://w3id.org/pipeline-atlas/graph/graph_data/vocab/glossary" in graphs
    nquads = graph_download(atlas, fmt="nquads")
    assert len(list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))) == len(parsed)
    with pytest.raises(ParameterError):
        graph_download(atlas, fmt="xml")
