"""Nothing the sources do not support is asserted (graph_data/california/).

A fixed-seed sample of 40 nodes, drawn across every kind of node in the California data, must each
cite a source the project holds (a file in graph_data/california/sources/) or a citable one (the
domain brief, a statute); and a generated place, boundary, body or agreement must say what the row
of the CSV (or the GeoJSON feature) it came from says. Facts no source gives (a city's charter
status or police provider) must be absent.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, Namespace

from pipeline_atlas.build.load import source_files
from pipeline_atlas.paths import project_paths

PATHS = project_paths()
CALIFORNIA = PATHS.root / "graph_data" / "california"
SOURCES = CALIFORNIA / "sources"
SHARED = PATHS.root.parent / "shared"
DOMAIN_BRIEF = SHARED / "domain-brief.md"
STATUTES_CSV = "ca_statutes_verified.csv"

PA = Namespace("https://w3id.org/pipeline-atlas/ont/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = "https://w3id.org/pipeline-atlas/id/"
VOCAB = ID + "vocab/"

SEED = 20261128
SAMPLE_SIZE = 40

# What a source text may cite: a file of the project's sources (checked to exist), the domain brief,
# or the law itself.
# (a bare file name, or one under graph_data/california/sources/, is one of the project's; a name
# in another path, "analyze/hand/county_aor.csv", is the upstream file that a copy came from)
SOURCE_FILE = re.compile(
    r"(?:(?<=graph_data/california/sources/)|(?<![\w/.-]))[\w.-]+\.(?:csv|geojson)\b"
)
DOMAIN_BRIEF_ITEM = re.compile(
    r"Pipeline Atlas domain brief,\s+(?:items?|section)\s+([\d ,\u2013-]+(?:and \d+)?)"
)
STATUTE = re.compile(
    r"(?:Gov\. Code|Penal Code|Cal\. Const\.|U\.S\.C\.|Immigration and Nationality Act|INA)\s*"
    r"(?:art\.\s*[IVX]+,\s*)?§"
)
MUNICIPAL_TYPES = {
    "City": "municipal-type-city",
    "Town": "municipal-type-town",
    "City and county": "municipal-type-city-and-county",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Data:
    """The project's graph (the union, for types and values) and, per file of
    graph_data/california/, the subjects that file says something about."""

    union: Graph
    subjects_by_file: dict[str, set[URIRef]]

    @cached_property
    def california_subjects(self) -> set[URIRef]:
        return {s for subjects in self.subjects_by_file.values() for s in subjects}

    def kind(self, node: URIRef) -> str:
        """The node's classes (pa: and geo:), short and sorted: ``City+County``, ``Office``."""
        names = sorted(
            str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            for t in self.union.objects(node, RDF.type)
            if str(t).startswith((str(PA), str(GEO)))
        )
        return "+".join(names)

    def files_of(self, node: URIRef) -> list[str]:
        return sorted(f for f, subjects in self.subjects_by_file.items() if node in subjects)

    def sources(self, node: URIRef) -> list[str]:
        return [str(s) for s in self.union.objects(node, DCTERMS.source)]

    def one(self, node: URIRef, prop: URIRef) -> object:
        values = list(self.union.objects(node, prop))
        assert len(values) == 1, f"{node} has {len(values)} {prop}"
        return values[0]

    def label_en(self, node: URIRef) -> str:
        labels = [str(v) for v in self.union.objects(node, RDFS.label) if v.language == "en"]
        assert len(labels) == 1, node
        return labels[0]


@pytest.fixture(scope="module")
def data() -> Data:
    union = Graph()
    by_file: dict[str, set[URIRef]] = {}
    for file in source_files(PATHS):
        if file.suffix != ".ttl" or file.name == "shapes.ttl":
            continue
        graph = Graph().parse(file, format="turtle")
        union += graph
        if file.parent == CALIFORNIA:
            by_file[file.name] = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert by_file, "no Turtle in graph_data/california/"
    return Data(union, by_file)


@pytest.fixture(scope="module")
def sample(data: Data) -> list[URIRef]:
    """40 nodes the California data says something about, drawn with a fixed seed and spread over
    every kind (round robin over the kinds, each shuffled)."""
    by_kind: dict[str, list[URIRef]] = defaultdict(list)
    for node in sorted(data.california_subjects):
        kind = data.kind(node)
        if kind:  # typed with a pa: or geo: class somewhere in the graph
            by_kind[kind].append(node)
    rng = random.Random(SEED)
    queues = {kind: rng.sample(nodes, len(nodes)) for kind, nodes in sorted(by_kind.items())}
    picked: list[URIRef] = []
    while len(picked) < SAMPLE_SIZE and any(queues.values()):
        for kind in sorted(queues):
            if queues[kind] and len(picked) < SAMPLE_SIZE:
                picked.append(queues[kind].pop())
    return picked


@pytest.fixture(scope="module")
def brief_items() -> set[int] | None:
    if not DOMAIN_BRIEF.is_file():
        return None
    text = DOMAIN_BRIEF.read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^\s*(\d+)\.\s", text, flags=re.MULTILINE)}


def numbers(cited: str) -> Iterable[int]:
    for low, high in re.findall(r"(\d+)(?:\s*[\u2013-]\s*(\d+))?", cited):
        yield from range(int(low), int(high or low) + 1)


def cites_a_source(text: str) -> bool:
    return bool(
        any((SOURCES / name).is_file() for name in SOURCE_FILE.findall(text))
        or DOMAIN_BRIEF_ITEM.search(text)
        or STATUTE.search(text)
        or re.search(r"https?://[\w.-]+\.[a-z]{2,}/?\S*", text)
    )


#################################################################
# The sample
#################################################################


def test_the_sample_spans_the_kinds_of_node(data: Data, sample: list[URIRef]) -> None:
    assert len(sample) == SAMPLE_SIZE
    assert len(set(sample)) == SAMPLE_SIZE
    kinds = {data.kind(n) for n in sample}
    for kind in (
        "City",
        "County",
        "Geometry",
        "EnforcementAgreement",
        "LegalRepresentationProgram",
    ):
        assert any(kind in k.split("+") for k in kinds), (kind, kinds)
    assert len(kinds) >= 10, kinds


def test_every_sampled_node_cites_a_source_the_project_can_show(
    data: Data, sample: list[URIRef], brief_items: set[int] | None
) -> None:
    for node in sample:
        sources = data.sources(node)
        assert sources, f"{node} ({data.kind(node)}, {data.files_of(node)}) has no dcterms:source"
        assert any(cites_a_source(s) for s in sources), (node, sources)
        for text in sources:
            for name in SOURCE_FILE.findall(text):
                assert (SOURCES / name).is_file(), f"{node} cites {name}, not in {SOURCES}"
            if brief_items is not None:
                for cited in DOMAIN_BRIEF_ITEM.findall(text):
                    assert set(numbers(cited)) <= brief_items, (node, text)


def test_every_sampled_generated_node_says_what_its_row_says(
    data: Data, sample: list[URIRef]
) -> None:
    checked: dict[str, int] = defaultdict(int)
    for node in sample:
        kinds = set(data.kind(node).split("+"))
        if "City" in kinds:
            check_city(data, node)
            checked["city"] += 1
        if "County" in kinds:
            check_county(data, node)
            checked["county"] += 1
        if "Geometry" in kinds:
            check_boundary(data, node)
            checked["boundary"] += 1
        if "EnforcementAgreement" in kinds:
            check_agreement(data, node)
            checked["agreement"] += 1
        # a place also has triples there (its police provider, its jail operator: issue 7)
        if "local-bodies.ttl" in data.files_of(node) and not kinds & {"City", "County"}:
            check_local_body(data, node)
            checked["local body or office"] += 1
    assert set(checked) == {"city", "county", "boundary", "agreement", "local body or office"}, (
        checked
    )


#################################################################
# The rows the generated nodes come from
#################################################################


@pytest.fixture(scope="module")
def every_place_checked(data: Data) -> int:
    """All cities and counties, not only the sampled ones (it is cheap)."""
    places = set(data.union.subjects(RDF.type, PA.City)) | set(
        data.union.subjects(RDF.type, PA.County)
    )
    for node in sorted(places):
        if (node, RDF.type, PA.City) in data.union:
            check_city(data, node)
        if (node, RDF.type, PA.County) in data.union:
            check_county(data, node)
    return len(places)


def test_every_city_and_county_says_what_its_row_says(every_place_checked: int) -> None:
    # 482 cities and 58 counties, San Francisco being one of each
    assert every_place_checked == 482 + 58 - 1


def row_by(name: str, column: str, value: str) -> dict[str, str]:
    matches = [r for r in read_csv(name) if r[column] == value]
    assert len(matches) == 1, f"{len(matches)} rows of {name} have {column} = {value!r}"
    return matches[0]


def fips_of(data: Data, county: URIRef) -> str:
    return str(data.one(county, PA.fipsCode))


def check_city(data: Data, node: URIRef) -> None:
    assert any("ca_cities.csv" in s for s in data.sources(node)), node
    name = data.label_en(node)
    row = row_by("ca_cities.csv", "city", name)
    population = data.one(node, PA.censusPopulation2020)
    assert isinstance(population, Literal)
    assert population.toPython() == int(row["population_2020_census"]), name
    county = data.one(node, PA.inCounty)
    assert isinstance(county, URIRef)
    assert fips_of(data, county) == row["county_fips"], name
    municipal_type = data.one(node, PA.hasMunicipalType)
    assert municipal_type == URIRef(VOCAB + MUNICIPAL_TYPES[row["municipal_type"]]), name


def check_county(data: Data, node: URIRef) -> None:
    assert any("ca_counties.csv" in s for s in data.sources(node)), node
    fips = fips_of(data, node)
    row = row_by("ca_counties.csv", "county_fips", fips)
    consolidated = row["charter_or_general_law"] == "charter (city and county)"
    assert data.label_en(node) == (row["short_name"] if consolidated else row["county_name"])
    assert str(data.one(node, PA.countySeatName)) == row["county_seat"]
    seats = list(data.union.objects(node, PA.hasCountySeat))
    for seat in seats:
        assert isinstance(seat, URIRef)
        assert data.label_en(seat) == row["county_seat"], fips
    aor = row["ice_ero_aor"]
    assert row_by("ca_county_ice_aor_uwchr.csv", "geoid", fips)["aor"] == aor
    assert data.one(node, PA.inIceAreaOfResponsibility) == URIRef(
        f"{ID}body/ice-field-office-{aor.lower()}"
    )
    status = data.one(node, PA.hasCharterStatus)
    expected = "charter" if row["charter_or_general_law"].startswith("charter") else "general-law"
    if status != URIRef(f"{VOCAB}charter-status-{expected}"):
        # a departure from the row is allowed only with a note that explains it
        notes = [str(n) for n in data.union.objects(node, SKOS.note)]
        assert any("charter" in n.lower() for n in notes), (fips, status, notes)


@cache
def features() -> dict[str, dict[str, Any]]:
    """The GeoJSON features of the county boundaries, by county FIPS code."""
    with (SOURCES / "ca-counties.geojson").open(encoding="utf-8") as f:
        return {feature["id"]: feature for feature in json.load(f)["features"]}


def check_boundary(data: Data, node: URIRef) -> None:
    assert any("ca-counties.geojson" in s for s in data.sources(node)), node
    (county,) = data.union.subjects(GEO.hasGeometry, node)
    assert isinstance(county, URIRef)
    geometry = features()[fips_of(data, county)]["geometry"]
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    vertices = {
        (f"{x:.5f}", f"{y:.5f}") for polygon in polygons for ring in polygon for x, y in ring
    }
    wkt = str(data.one(node, GEO.asWKT))
    assert wkt.startswith(("POLYGON", "MULTIPOLYGON")), wkt[:40]
    points = re.findall(r"(-?\d+\.\d+) (-?\d+\.\d+)", wkt)
    assert len(points) >= 4, wkt[:80]
    # every vertex is a vertex of the county's feature, rounded to 5 decimals as SOURCES.md says
    stray = [p for p in points if p not in vertices]
    assert not stray, (node, stray[:3])


def check_agreement(data: Data, node: URIRef) -> None:
    assert any("ca_287g_agreements_historical_ddp.csv" in s for s in data.sources(node)), node
    note = " ".join(str(n) for n in data.union.objects(node, SKOS.note))
    match = re.search(r"Agency as the data names it: (.+?)\. First signed", note)
    assert match, note
    row = row_by("ca_287g_agreements_historical_ddp.csv", "agency", match.group(1))
    # The data's last active date is a last sighting, not an end date (issue 7).
    assert str(data.one(node, PA.asOf)) == row["active_to"]
    ends = [str(d) for d in data.union.objects(node, PA.endDate)]
    assert ends in ([], ["2015-05-12"], ["2017-12-27"]), ends
    if ends:
        assert any(s.startswith("End date: ") for s in data.sources(node)), node
    starts = [str(d) for d in data.union.objects(node, PA.startDate)]
    if starts:
        assert starts[0] in {row["first_signed_best"], row["active_from"]}, starts
        assert len(starts) == 1, starts
    else:  # left out only where the note says why (a first signing after the end)
        assert "no start date" in note, note
    assert str(data.one(node, PA.agreementModel)) == row["models"]
    party = data.one(node, PA.hasAgreementParty)
    assert isinstance(party, URIRef)
    assert (party, PA.isLocalInstanceOf, URIRef(ID + "body/county-sheriffs-department")) in (
        data.union
    )
    if row["county_fips"]:
        county = data.one(party, PA.hasJurisdiction)
        assert isinstance(county, URIRef)
        assert fips_of(data, county) == row["county_fips"].zfill(5)


def check_local_body(data: Data, node: URIRef) -> None:
    """A generated body or office: its place is a row of the CSVs, and it is the local instance of
    a generic body or office."""
    generics = list(data.union.objects(node, PA.isLocalInstanceOf))
    # the one body with no generic kind: Napa County's Department of Corrections, which runs the
    # county jail in place of the sheriff (issue 7; its source is countyofnapa.org)
    jail = any(data.union.subjects(PA.hasJailOperator, node))
    assert generics or (jail and "sheriffs-department" not in str(node)), node
    for generic in generics:
        for place in data.union.objects(generic, PA.hasJurisdiction):
            assert (place, RDF.type, PA.City) not in data.union, (node, generic)
            assert (place, RDF.type, PA.County) not in data.union, (node, generic)
    for place in data.union.objects(node, PA.hasJurisdiction):
        assert isinstance(place, URIRef)
        if (place, RDF.type, PA.County) in data.union:
            row_by("ca_counties.csv", "county_fips", fips_of(data, place))
        else:
            assert (place, RDF.type, PA.City) in data.union, (node, place)
            row_by("ca_cities.csv", "city", data.label_en(place))
    assert list(data.union.objects(node, PA.hasJurisdiction)), node


#################################################################
# What no source gives is absent; cited files are the project's
#################################################################


def test_a_police_provider_only_where_the_post_list_gives_one(data: Data) -> None:
    # Issue 7: the POST-derived list names each city's police agency; a city missing from it
    # has no pa:hasPoliceProvider (not confirmed), never a sheriff contract.
    listed = {(r["city"], r["agency_name"]) for r in read_csv("ca_city_police_agencies_post.csv")}
    found = {
        (data.label_en(city), data.label_en(agency))
        for city, agency in data.union.subject_objects(PA.hasPoliceProvider)
        if isinstance(city, URIRef)
        and isinstance(agency, URIRef)
        and (city, RDF.type, PA.City) in data.union
    }
    assert found == listed


def test_no_city_has_a_charter_status_or_a_form_of_government(data: Data) -> None:
    # no dataset gives either for cities (sources/SOURCES.md): absent means unknown
    for prop in (PA.hasCharterStatus, PA.hasFormOfGovernment):
        cities = [
            s
            for s in data.union.subjects(prop, None)
            if (s, RDF.type, PA.City) in data.union and (s, RDF.type, PA.County) not in data.union
        ]
        assert cities == [], (prop, cities[:5])


def test_every_file_a_california_source_cites_is_in_the_project(data: Data) -> None:
    missing: dict[str, set[str]] = defaultdict(set)
    for node in data.california_subjects:
        for text in data.sources(node):
            for name in SOURCE_FILE.findall(text):
                if not (SOURCES / name).is_file():
                    missing[name].update(data.files_of(node))
    assert not missing, {name: sorted(files) for name, files in missing.items()}


def test_the_statutes_csv_if_cited_is_the_shared_copy(data: Data) -> None:
    cited = any(
        STATUTES_CSV in text for node in data.california_subjects for text in data.sources(node)
    )
    if not cited:
        pytest.skip(f"no California source cites {STATUTES_CSV}")
    copy = SOURCES / STATUTES_CSV
    assert copy.is_file(), f"{STATUTES_CSV} is cited but not copied into {SOURCES}"
    shared = SHARED / "data" / STATUTES_CSV
    if not shared.is_file():
        pytest.skip("no ../shared/data next to the project (a user's clone)")
    assert copy.read_bytes() == shared.read_bytes()
    assert STATUTES_CSV in (SOURCES / "SOURCES.md").read_text(encoding="utf-8")
