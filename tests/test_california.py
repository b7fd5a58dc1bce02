"""California in the graph (issue "California in the graph"): the generator, its Turtle writer,
the committed files and what they say."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from pipeline_atlas import Atlas
from pipeline_atlas.sources.california import (
    OUTPUT_DIR,
    OUTPUT_FILES,
    SOURCE_DIR,
    SOURCE_FILES,
    GenerationError,
    generate,
    stale,
    wkt,
    write,
)
from pipeline_atlas.cli import app
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths, project_paths
from pipeline_atlas.sources.turtle import boolean, date, integer, iri, serialize, text, typed

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
ID = PREFIXES["paid"]
J = ID + "jurisdiction/"
BODY = ID + "body/"
OFFICE = ID + "office/"
WKT_SHAPE = re.compile(r"(POLYGON|MULTIPOLYGON)\(.*\)")
PREFIX_LINES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def paths() -> ProjectPaths:
    return project_paths(ROOT)


@pytest.fixture(scope="module")
def atlas(paths: ProjectPaths) -> Iterator[Atlas]:
    with Atlas.build(reason=False, paths=paths) as built:
        yield built


def rows(atlas: Atlas, sparql: str) -> list[dict[str, object]]:
    return [dict(r) for r in atlas.query(f"{PREFIX_LINES}\n{sparql}").rows]


def ask(atlas: Atlas, sparql: str) -> bool:
    result = atlas.query(f"{PREFIX_LINES}\n{sparql}")
    assert result.kind == "ask"
    return bool(result.boolean)


def scalar(atlas: Atlas, sparql: str) -> object:
    (row,) = rows(atlas, sparql)
    (value,) = row.values()
    return value


@pytest.fixture
def copy(tmp_path: Path) -> ProjectPaths:
    """A project holding only graph_data/california (sources and generated files)."""
    shutil.copytree(ROOT / OUTPUT_DIR, tmp_path / OUTPUT_DIR)
    return ProjectPaths.at(tmp_path)


#################################################################
# The generated files: current, deterministic, parseable
#################################################################


def test_committed_files_are_current(paths: ProjectPaths) -> None:
    assert stale(paths) == [], "run `pipeline-atlas generate` and commit the result"


def test_generation_is_deterministic(paths: ProjectPaths) -> None:
    first, second = generate(paths), generate(paths)
    assert list(first) == list(OUTPUT_FILES)
    assert {k: v.encode() for k, v in first.items()} == {k: v.encode() for k, v in second.items()}


def test_generated_turtle_parses_to_what_was_written(paths: ProjectPaths) -> None:
    for relative, content in generate(paths).items():
        parsed = list(ox.parse(content.encode(), format=ox.RdfFormat.TURTLE))
        assert parsed, relative
        assert serialize(parsed, header=content.split("\n\n")[0].replace("# ", "")) == content


def test_sources_copy_the_shared_data(paths: ProjectPaths) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip("no ../shared/data next to the project (a user's clone)")
    copies = sorted(p for p in (paths.root / SOURCE_DIR).iterdir() if p.name != "SOURCES.md")
    assert set(SOURCE_FILES) <= {p.name for p in copies}
    for copied in copies:
        assert copied.read_bytes() == (SHARED_DATA / copied.name).read_bytes(), copied.name
    listing = (paths.root / SOURCE_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for copied in copies:
        assert f"`{copied.name}`" in listing, f"{copied.name} is not described in SOURCES.md"


#################################################################
# The Turtle writer
#################################################################


def test_writer_output_does_not_depend_on_triple_order() -> None:
    s = iri("body:x")
    triples = [
        (s, iri("rdf:type"), iri("pa:LegislativeBody")),
        (s, iri("rdf:type"), iri("pa:PublicBody")),
        (s, iri("rdfs:label"), text("Junta", "es")),
        (s, iri("rdfs:label"), text("Board", "en")),
        (s, iri("dcterms:source"), text("b")),
        (s, iri("dcterms:source"), text("a")),
        (s, iri("pa:memberCount"), integer(5)),
        (s, iri("pa:isElected"), boolean(True)),
        (s, iri("pa:asOf"), date("2022-02-28")),
        (s, iri("skos:definition"), text("A board.", "en")),
        (iri("body:a"), iri("rdfs:label"), text("A")),
    ]
    expected = serialize(triples)
    for seed in range(5):
        shuffled = triples + triples[:3]  # duplicates are dropped
        random.Random(seed).shuffle(shuffled)
        assert serialize(shuffled) == expected
    assert expected.splitlines()[-7:] == [
        "body:x a pa:LegislativeBody , pa:PublicBody ;",
        '    rdfs:label "Board"@en , "Junta"@es ;',
        '    skos:definition "A board."@en ;',
        "    pa:isElected true ;",
        "    pa:memberCount 5 ;",
        '    dcterms:source "a" , "b" ;',
        '    pa:asOf "2022-02-28"^^xsd:date .',
    ]


def test_writer_escapes_strings_and_round_trips() -> None:
    s = iri("https://example.org/a b".replace(" ", "_"))
    tricky = 'quote " backslash \\ newline \n tab \t return \r bell \x07 ñ — “curly”'
    triples = [
        (s, iri("rdfs:label"), text(tricky, "es")),
        (s, iri("rdfs:comment"), text(tricky)),
        (s, iri("geo:asWKT"), typed("POINT(1 2)", "geo:wktLiteral")),
        (s, iri("pa:memberCount"), typed("05", "xsd:integer")),  # not canonical: stays quoted
        (s, iri(ID + "agreement/x"), iri(ID + "geometry/with/slash")),
    ]
    written = serialize(triples)
    assert "\\u0007" in written and "\\n" in written and '\\"' in written and "ñ" in written
    assert '"05"^^xsd:integer' in written
    parsed = {q.triple for q in ox.parse(written.encode(), format=ox.RdfFormat.TURTLE)}
    assert parsed == {ox.Triple(*t) for t in triples}


def test_writer_refuses_blank_nodes() -> None:
    with pytest.raises(ValueError, match="IRI subjects only"):
        serialize([ox.Triple(ox.BlankNode(), iri("rdfs:label"), text("x"))])


#################################################################
# What the graph says (the library, SPARQL over the built graph)
#################################################################


def test_58_counties_44_general_law_14_charter_with_san_francisco(atlas: Atlas) -> None:
    assert scalar(atlas, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a pa:County }") == 58
    counts = rows(
        atlas,
        "SELECT ?status (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a pa:County ; "
        "pa:hasCharterStatus ?status } GROUP BY ?status ORDER BY ?status",
    )
    assert counts == [
        {"status": ID + "vocab/charter-status-charter", "n": 14},
        {"status": ID + "vocab/charter-status-general-law", "n": 44},
    ]
    assert rows(atlas, "SELECT ?s WHERE { jurisdiction:san-francisco pa:hasCharterStatus ?s }") == [
        {"s": ID + "vocab/charter-status-charter"}
    ]


def test_shasta_is_general_law_with_a_note(atlas: Atlas) -> None:
    (row,) = rows(
        atlas,
        "SELECT ?s ?note WHERE { jurisdiction:shasta-county pa:hasCharterStatus ?s ; "
        "skos:note ?note }",
    )
    assert row["s"] == ID + "vocab/charter-status-general-law"
    assert "charter effective 2025" in str(row["note"]) and "not verified" in str(row["note"])


def test_482_cities_by_municipal_type(atlas: Atlas) -> None:
    assert scalar(atlas, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a pa:City }") == 482
    counts = rows(
        atlas,
        "SELECT ?type (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a pa:City ; pa:hasMunicipalType ?type }"
        " GROUP BY ?type ORDER BY ?type",
    )
    assert counts == [
        {"type": ID + "vocab/municipal-type-city", "n": 459},
        {"type": ID + "vocab/municipal-type-city-and-county", "n": 1},
        {"type": ID + "vocab/municipal-type-town", "n": 22},
    ]


def test_san_francisco_is_one_node_city_and_county(atlas: Atlas) -> None:
    types = rows(
        atlas,
        "SELECT ?t WHERE { jurisdiction:san-francisco a ?t . "
        "FILTER(?t IN (pa:City, pa:County)) } ORDER BY ?t",
    )
    assert types == [{"t": PREFIXES["pa"] + "City"}, {"t": PREFIXES["pa"] + "County"}]
    labels = rows(
        atlas,
        "SELECT DISTINCT ?l (LANG(?l) AS ?lang) WHERE { jurisdiction:san-francisco rdfs:label ?l } "
        "ORDER BY ?lang",
    )
    assert labels == [{"l": "San Francisco", "lang": "en"}, {"l": "San Francisco", "lang": "es"}]
    assert scalar(atlas, "SELECT ?a WHERE { jurisdiction:san-francisco skos:altLabel ?a }") == (
        "City and County of San Francisco"
    )
    assert ask(atlas, "ASK { ?x a pa:County ; rdfs:label 'San Francisco County'@en }") is False


def test_every_city_is_in_a_county(atlas: Atlas) -> None:
    orphans = rows(
        atlas,
        "SELECT ?c WHERE { ?c a pa:City . "
        "FILTER NOT EXISTS { ?c pa:inCounty ?county . ?county a pa:County } }",
    )
    assert orphans == []
    assert (
        scalar(
            atlas,
            "SELECT (COUNT(*) AS ?n) WHERE { ?c a pa:City ; pa:inCounty ?a , ?b FILTER(?a != ?b) }",
        )
        == 0
    )


def test_no_city_charter_status_or_police_provider(atlas: Atlas) -> None:
    # No source gives either for cities: absent means unknown.
    assert (
        rows(
            atlas,
            "SELECT ?c WHERE { ?c a pa:City . FILTER NOT EXISTS { ?c a pa:County } "
            "{ ?c pa:hasCharterStatus ?x } UNION { ?c pa:hasPoliceProvider ?x } }",
        )
        == []
    )


def test_one_closed_boundary_per_county_inside_california(atlas: Atlas) -> None:
    found = rows(
        atlas,
        "SELECT ?c ?g ?wkt WHERE { ?c a pa:County ; geo:hasGeometry ?g . "
        "?g a geo:Geometry ; geo:asWKT ?wkt }",
    )
    assert len(found) == 58
    assert len({r["c"] for r in found}) == 58 and len({r["g"] for r in found}) == 58
    for row in found:
        assert str(row["g"]) == str(row["c"]).replace("/jurisdiction/", "/geometry/")
        shape = str(row["wkt"])
        assert WKT_SHAPE.fullmatch(shape), row["c"]
        for ring in re.findall(r"\(([^()]+)\)", shape):
            points = [tuple(map(float, p.split())) for p in ring.split(", ")]
            assert len(points) >= 4 and points[0] == points[-1], row["c"]
            for lon, lat in points:
                assert -124.5 < lon < -114.0 and 32.5 < lat < 42.1, (row["c"], lon, lat)
    datatypes = rows(atlas, "SELECT DISTINCT (DATATYPE(?w) AS ?d) WHERE { ?g geo:asWKT ?w }")
    assert datatypes == [{"d": PREFIXES["geo"] + "wktLiteral"}]


def test_wkt_drops_rings_without_area() -> None:
    # San Francisco's boundary has a sliver polygon with two distinct points in the source.
    assert (
        wkt(
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                    [[[2, 2], [3, 3], [2, 2], [2, 2]]],
                ],
            }
        )
        == "MULTIPOLYGON(((0.00000 0.00000, 1.00000 0.00000, 1.00000 1.00000, 0.00000 0.00000)))"
    )
    with pytest.raises(GenerationError, match="no area"):
        wkt({"type": "Polygon", "coordinates": [[[0, 0], [1e-7, 0], [0, 0]]]})


GENERIC = {
    "board": BODY + "county-board-of-supervisors",
    "sheriffs": BODY + "county-sheriffs-department",
    "sheriff": OFFICE + "county-sheriff",
    "da_office": BODY + "county-district-attorneys-office",
    "da": OFFICE + "county-district-attorney",
    "probation": BODY + "county-probation-department",
    "chief": OFFICE + "chief-probation-officer",
    "court": BODY + "county-superior-court",
}


def test_every_county_has_exactly_one_of_each_body(atlas: Atlas) -> None:
    counts = rows(
        atlas,
        "SELECT ?county ?generic (COUNT(DISTINCT ?local) AS ?n) WHERE { ?county a pa:County . "
        "VALUES ?generic { " + " ".join(f"<{g}>" for g in GENERIC.values()) + " } "
        "OPTIONAL { ?local pa:isLocalInstanceOf ?generic ; pa:hasJurisdiction ?county } } "
        "GROUP BY ?county ?generic",
    )
    assert len(counts) == 58 * len(GENERIC)
    assert {r["n"] for r in counts} == {1}


def test_alameda_county_bodies(atlas: Atlas) -> None:
    a = "alameda-county"
    facts = rows(
        atlas,
        f"""SELECT ?members ?budget ?sheriffElected ?post ?daElected ?chiefElected ?appointer
                   ?courtLabel ?boardEs ?sheriffsLabel
        WHERE {{
          body:{a}-board-of-supervisors pa:memberCount ?members ; pa:setsBudgetOf ?budget ;
              rdfs:label ?boardEs ; pa:hasGovernmentLevel vocab:level-county .
          FILTER(LANG(?boardEs) = "es")
          office:{a}-sheriff pa:isElected ?sheriffElected ; org:postIn ?post .
          office:{a}-district-attorney pa:isElected ?daElected .
          office:{a}-chief-probation-officer pa:isElected ?chiefElected ;
              pa:appointedBy ?appointer .
          body:{a}-superior-court a pa:Court ; rdfs:label ?courtLabel .
          FILTER(LANG(?courtLabel) = "en")
          body:{a}-sheriffs-department a pa:LawEnforcementAgency , pa:CustodialAgency ;
              rdfs:label ?sheriffsLabel . FILTER(LANG(?sheriffsLabel) = "en")
          body:{a}-probation-department a pa:CustodialAgency .
        }}""",
    )
    assert facts == [
        {
            "members": 5,
            "budget": f"{BODY}{a}-probation-department",
            "sheriffElected": True,
            "post": f"{BODY}{a}-sheriffs-department",
            "daElected": True,
            "chiefElected": False,
            "appointer": f"{BODY}{a}-superior-court",
            "courtLabel": "Superior Court of California, County of Alameda",
            "boardEs": "Junta de Supervisores del Condado de Alameda",
            "sheriffsLabel": "Alameda County sheriff's department",
        }
    ]


def test_san_francisco_board_is_both_board_and_council(atlas: Atlas) -> None:
    board = f"{BODY}san-francisco-board-of-supervisors"
    assert scalar(atlas, f"SELECT ?n WHERE {{ <{board}> pa:memberCount ?n }}") == 11
    generics = rows(atlas, f"SELECT ?g WHERE {{ <{board}> pa:isLocalInstanceOf ?g }} ORDER BY ?g")
    assert generics == [{"g": BODY + "city-council"}, {"g": BODY + "county-board-of-supervisors"}]
    assert ask(
        atlas, f"ASK {{ <{board}> pa:hasAuthorityOver body:san-francisco-city-departments }}"
    )
    assert ask(atlas, "ASK { body:san-francisco-city-council ?p ?o }") is False
    assert (
        scalar(
            atlas,
            "SELECT (COUNT(*) AS ?n) WHERE { ?b pa:memberCount 11 ; "
            "pa:isLocalInstanceOf body:county-board-of-supervisors }",
        )
        == 1
    )


def test_every_city_but_san_francisco_has_a_council_and_departments(atlas: Atlas) -> None:
    councils = scalar(
        atlas,
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b pa:isLocalInstanceOf body:city-council ; "
        "pa:hasJurisdiction ?c ; pa:hasAuthorityOver ?d . ?c a pa:City . "
        "?d pa:isLocalInstanceOf body:city-departments ; pa:hasJurisdiction ?c }",
    )
    assert councils == 482  # 481 city and town councils and the San Francisco board
    assert (
        scalar(
            atlas,
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { "
            "?d pa:isLocalInstanceOf body:city-departments }",
        )
        == 482
    )
    labels = rows(
        atlas,
        "SELECT ?en ?es ?dept WHERE { body:apple-valley-city-council rdfs:label ?en , ?es . "
        "body:oakland-city-departments rdfs:label ?dept . "
        "FILTER(LANG(?en) = 'en' && LANG(?es) = 'es' && LANG(?dept) = 'en') }",
    )
    assert labels == [
        {
            "en": "Apple Valley Town Council",
            "es": "Concejo Municipal de Apple Valley",
            "dept": "Oakland city departments (other than police)",
        }
    ]


def test_exact_facts(atlas: Atlas) -> None:
    oakland = rows(
        atlas,
        "SELECT ?pop ?county ?level WHERE { jurisdiction:oakland pa:censusPopulation2020 ?pop ; "
        "pa:inCounty ?county ; pa:hasGovernmentLevel ?level }",
    )
    assert oakland == [
        {"pop": 440646, "county": J + "alameda-county", "level": ID + "vocab/level-city"}
    ]
    alameda = rows(
        atlas,
        "SELECT ?fips ?seat ?seatName ?es WHERE { jurisdiction:alameda-county pa:fipsCode ?fips ; "
        "pa:hasCountySeat ?seat ; pa:countySeatName ?seatName ; rdfs:label ?es . "
        "FILTER(LANG(?es) = 'es') }",
    )
    assert alameda == [
        {"fips": "06001", "seat": J + "oakland", "seatName": "Oakland", "es": "Condado de Alameda"}
    ]
    assert (
        scalar(
            atlas,
            "SELECT ?o WHERE { jurisdiction:los-angeles-county pa:inIceAreaOfResponsibility ?o }",
        )
        == BODY + "ice-field-office-los"
    )
    assert (
        scalar(
            atlas,
            "SELECT ?o WHERE { jurisdiction:imperial-county pa:inIceAreaOfResponsibility ?o }",
        )
        == BODY + "ice-field-office-snd"
    )
    # An unincorporated seat has a name but no city node.
    assert rows(
        atlas,
        "SELECT ?seat ?name WHERE { jurisdiction:alpine-county pa:countySeatName ?name "
        "OPTIONAL { jurisdiction:alpine-county pa:hasCountySeat ?seat } }",
    ) == [{"seat": None, "name": "Markleeville"}]
    assert scalar(
        atlas, "SELECT ?l WHERE { jurisdiction:la-canada-flintridge rdfs:label ?l } LIMIT 1"
    ) == ("La Cañada Flintridge")
    areas = rows(
        atlas,
        "SELECT ?a (COUNT(?c) AS ?n) WHERE { ?c pa:inIceAreaOfResponsibility ?a } "
        "GROUP BY ?a ORDER BY ?a",
    )
    assert [r["n"] for r in areas] == [7, 49, 2]  # LOS, SFR, SND


def test_ice_area_facts_carry_the_uwchr_date(atlas: Atlas) -> None:
    dates = rows(
        atlas,
        "SELECT DISTINCT ?d WHERE { "
        "?c a pa:County ; pa:inIceAreaOfResponsibility ?a ; pa:asOf ?d }",
    )
    assert [str(r["d"]) for r in dates] == ["2022-02-28"]


def test_five_287g_agreements_with_their_sheriffs(atlas: Atlas) -> None:
    found = rows(
        atlas,
        "SELECT ?a ?party ?start ?end ?model WHERE { ?a a pa:EnforcementAgreement ; "
        "pa:hasAgreementParty ?party ; pa:endDate ?end ; pa:agreementModel ?model . "
        "OPTIONAL { ?a pa:startDate ?start } } ORDER BY ?a",
    )
    agreement = ID + "agreement/287g-"
    assert [(r["a"], r["party"]) for r in found] == [
        (
            agreement + "los-angeles-county-sheriffs-office",
            BODY + "los-angeles-county-sheriffs-department",
        ),
        (agreement + "orange-county-sheriffs-office", BODY + "orange-county-sheriffs-department"),
        (
            agreement + "riverside-county-sheriffs-office",
            BODY + "riverside-county-sheriffs-department",
        ),
        (
            agreement + "san-bernardino-county-sheriffs-office",
            BODY + "san-bernardino-county-sheriffs-department",
        ),
        (
            agreement + "san-bernardino-county-sheriffs-office-addendum",
            BODY + "san-bernardino-county-sheriffs-department",
        ),
    ]
    assert {r["model"] for r in found} == {"Jail Enforcement"}
    la = found[0]
    assert (str(la["start"]), str(la["end"])) == ("2005-02-01", "2015-03-31")
    # The addendum's first signing date falls after its end: the data contradicts itself, so no
    # start date is asserted (the note keeps every date).
    addendum = found[-1]
    assert (addendum["start"], str(addendum["end"])) == (None, "2013-08-07")
    datatypes = rows(
        atlas,
        "SELECT DISTINCT (DATATYPE(?d) AS ?t) WHERE { ?a a pa:EnforcementAgreement "
        "{ ?a pa:startDate ?d } UNION { ?a pa:endDate ?d } }",
    )
    assert datatypes == [{"t": PREFIXES["xsd"] + "date"}]
    note = scalar(
        atlas,
        f"SELECT ?n WHERE {{ <{agreement}los-angeles-county-sheriffs-office> skos:note ?n }}",
    )
    assert "2005-02-01; 2010-10-12; 2014-10-07" in str(note) and "high" in str(note)


def test_every_generated_node_is_labelled_and_sourced(atlas: Atlas) -> None:
    graphs = " ".join(f"<{PREFIXES['pag']}{f.removesuffix('.ttl')}>" for f in OUTPUT_FILES)
    missing = rows(
        atlas,
        f"""SELECT DISTINCT ?s ?what WHERE {{
          VALUES ?g {{ {graphs} }}
          GRAPH ?g {{ ?s a ?type }}
          VALUES (?what ?lang) {{ ("label@en" "en") ("label@es" "es") ("source" "") }}
          FILTER NOT EXISTS {{
            ?s ?p ?o .
            FILTER((?lang != "" && ?p = rdfs:label && LANG(?o) = ?lang)
                   || (?lang = "" && ?p = dcterms:source))
          }}
        }} LIMIT 10""",
    )
    assert missing == []


#################################################################
# Failing loudly, and the CLI
#################################################################


def test_disagreeing_ice_areas_fail(copy: ProjectPaths) -> None:
    path = copy.root / SOURCE_DIR / "ca_county_ice_aor_uwchr.csv"
    text_ = path.read_text(encoding="utf-8")
    path.write_text(
        text_.replace(
            '"alameda county, california",Total Population,1643700,NA,SFR',
            '"alameda county, california",Total Population,1643700,NA,LOS',
        )
    )
    with pytest.raises(GenerationError, match="Alameda County is in ICE area 'LOS' here but 'SFR'"):
        generate(copy)


def test_slug_clash_fails(copy: ProjectPaths) -> None:
    path = copy.root / SOURCE_DIR / "ca_cities.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("Alameda County,City,Alameda,06001,1\n")
    path.write_text("".join(lines), encoding="utf-8")
    counties = copy.root / SOURCE_DIR / "ca_counties.csv"
    counties.write_text(
        counties.read_text(encoding="utf-8").replace("charter,14,SFR", "charter,15,SFR", 1),
        encoding="utf-8",
    )
    with pytest.raises(GenerationError, match="would both be jurisdiction:alameda-county"):
        generate(copy)


def test_missing_source_fails(copy: ProjectPaths) -> None:
    (copy.root / SOURCE_DIR / "ca-counties.geojson").unlink()
    with pytest.raises(GenerationError, match=r"ca-counties\.geojson is missing"):
        generate(copy)


def test_write_and_stale(copy: ProjectPaths) -> None:
    assert stale(copy) == []
    target = copy.root / OUTPUT_FILES[1]
    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    (copy.root / OUTPUT_FILES[4]).unlink()
    assert stale(copy) == [OUTPUT_FILES[1], OUTPUT_FILES[4]]
    assert write(copy) == [OUTPUT_FILES[1], OUTPUT_FILES[4]]
    assert stale(copy) == [] and write(copy) == []


def test_cli_generate_check(copy: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ROOT, str(copy.root))
    runner = CliRunner()
    result = runner.invoke(app, ["generate", "--check"])
    assert result.exit_code == 0, result.output
    assert "5 generated files are current" in result.stdout

    (copy.root / OUTPUT_FILES[0]).write_text("# stale\n", encoding="utf-8")
    result = runner.invoke(app, ["generate", "--check"])
    assert result.exit_code == 1
    assert f"error: {OUTPUT_FILES[0]} is out of date: run `pipeline-atlas generate`" in (
        result.output
    )

    result = runner.invoke(app, ["generate"])
    assert result.exit_code == 0
    assert result.stdout == f"wrote {OUTPUT_FILES[0]}\n"
    assert runner.invoke(app, ["generate", "--check"]).exit_code == 0


def test_cli_generate_reports_bad_sources(
    copy: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_ROOT, str(copy.root))
    (copy.root / SOURCE_DIR / "ca_counties.csv").write_text(
        "county_fips\n06001\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["generate", "--check"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "ca_counties.csv: missing column(s)" in result.output
