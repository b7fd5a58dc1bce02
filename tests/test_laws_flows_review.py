"""Issue 7, points 3 to 5: the fact review of California's laws and information flows.

Exact values for the decisions taken in the review (SB 580 linked, SB 54 covers probation),
confidence and last-checked date on every sourced node, and a Spanish text for every English
one, in graph_data/california/laws.ttl and graph_data/california/flows.ttl.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
FILES = ("graph_data/california/laws.ttl", "graph_data/california/flows.ttl")
ID = "https://w3id.org/pipeline-atlas/id/"
PA = Namespace("https://w3id.org/pipeline-atlas/ont/")
VOCAB = Namespace(ID + "vocab/")
INSTRUMENT = Namespace(ID + "instrument/")
FLOW = Namespace(ID + "flow/")
BODY = Namespace(ID + "body/")


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {f: Graph().parse(ROOT / f) for f in FILES}


@pytest.fixture(scope="module")
def g(graphs: dict[str, Graph]) -> Graph:
    both = Graph()
    for one in graphs.values():
        both += one
    return both


def texts(g: Graph, s: URIRef, p: URIRef, lang: str) -> list[str]:
    return [str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang]


def one(g: Graph, s: URIRef, p: URIRef, lang: str) -> str:
    values = texts(g, s, p, lang)
    assert len(values) == 1, (s, p, lang, values)
    return values[0]


# SB 580 ----------------------------------------------------------------------------------------


def test_sb580_is_chaptered_and_linked_to_the_city_departments_flow(g: Graph) -> None:
    sb580 = INSTRUMENT["sb-580-model-policies"]
    assert str(g.value(sb580, DCTERMS.bibliographicCitation)) == (
        "Cal. Gov. Code § 12532.5, added by SB 580 (Durazo), Stats. 2025, ch. 670, "
        "approved 12 Oct 2025"
    )
    assert g.value(sb580, PA.enactedDate) == Literal("2025-10-12", datatype=XSD.date)
    assert set(g.objects(sb580, PA.limitsFlow)) == {
        FLOW["city-departments-to-immigration-enforcement"]
    }
    assert BODY["city-departments"] in set(g.objects(sb580, PA.appliesTo))
    assert (
        "Every state or local agency implements the Attorney General's model policy, or an "
        "equivalent policy, on or before 1 Jan 2027 (§ 12532.5(a)(2))."
    ) in texts(g, sb580, PA.requires, "en")
    assert g.value(sb580, PA.confidence) == VOCAB["confidence-verified"]
    assert "Chapter 670, Statutes of 2025" in " ".join(map(str, g.objects(sb580, DCTERMS.source)))


def test_city_departments_gap_names_sb580_as_a_live_lever(g: Graph) -> None:
    flow = FLOW["city-departments-to-immigration-enforcement"]
    en = one(g, flow, PA.remainingGap, "en")
    es = one(g, flow, PA.remainingGap, "es")
    assert "SB 580 (2025, Gov. Code § 12532.5)" in en
    assert "by 1 Jan 2027" in en and "a live lever" in en
    assert "Under Gov. Code § 7284.8" in en
    assert "only a city ordinance" not in en.lower()
    assert "a más tardar el 1 de enero de 2027" in es
    assert "palanca que se puede usar ahora" in es


# SB 54 and probation ---------------------------------------------------------------------------


def test_sb54_covers_probation_and_the_probation_flow_agrees(g: Graph) -> None:
    sb54 = INSTRUMENT["california-values-act"]
    assert BODY["county-probation-department"] in set(g.objects(sb54, PA.appliesTo))
    assert FLOW["probation-appointment-notification"] in set(g.objects(sb54, PA.limitsFlow))
    assert "(by its definitions, county probation departments too)" in one(
        g, sb54, SKOS.definition, "en"
    )
    probation_notes = [n for n in texts(g, sb54, SKOS.note, "en") if n.startswith("Probation")]
    assert len(probation_notes) == 1
    assert probation_notes[0].startswith("Probation (settled from the statute text):")
    assert "§ 7283(e)" in probation_notes[0]
    gap = one(g, FLOW["probation-appointment-notification"], PA.remainingGap, "en")
    assert gap.startswith("By its definitions SB 54 covers county probation departments")
    assert (
        g.value(FLOW["probation-appointment-notification"], PA.confidence)
        == (VOCAB["confidence-verified"])
    )
    # Nothing in these files says the opposite.
    contrary = re.compile(r"(does not|doesn't|not) (cover|apply to)[^.]*probation", re.I)
    for s, p, o in g:
        if isinstance(o, Literal) and o.language == "en":
            assert not contrary.search(str(o)), (s, p)


def test_sb54_forbids_the_full_list(g: Graph) -> None:
    forbids = texts(g, INSTRUMENT["california-values-act"], PA.forbids, "en")
    markers = [re.findall(r"§ 7284\.6\(a\)\((\d)\)(?:\(([A-G])\))?", f)[-1] for f in forbids]
    assert sorted(m[0] + m[1] for m in markers) == [
        "1A", "1B", "1C", "1D", "1E", "1F", "1G", "2", "3", "4", "5", "6",
    ]  # fmt: skip
    assert len(texts(g, INSTRUMENT["california-values-act"], PA.forbids, "es")) == 12
    holds = [f for f in forbids if "(§ 7284.6(a)(1)(B))" in f]
    assert holds == [
        "Holding anyone on an ICE hold request, with no exception: the categories of "
        "Gov. Code § 7282.5 do not allow holds (§ 7284.6(a)(1)(B))."
    ]


def test_sb54_still_allowed_list(g: Graph) -> None:
    notes = texts(g, INSTRUMENT["california-values-act"], SKOS.note, "en")
    allowed = next(n for n in notes if n.startswith("Still allowed"))
    for part in (
        "8 U.S.C. § 1326(a)",
        "criminal history, including through CLETS",
        "joint law-enforcement task forces",
        "T or U visa",
        "under the TRUTH Act's consent rules",
        "8 U.S.C. §§ 1373 and 1644 is not restricted (§ 7284.6(e))",
    ):
        assert part in allowed, part


def test_trust_act_allows_no_holds(g: Graph) -> None:
    trust = INSTRUMENT["trust-act"]
    assert (
        "since 1 Jan 2018 SB 54 bars holding anyone on an ICE hold request, with no exception"
        in (one(g, trust, SKOS.definition, "en"))
    )
    assert "It allows no holds" in one(g, trust, PA.forbids, "en")


# Other corrections -----------------------------------------------------------------------------


def test_detention_contract_cutoff_is_not_an_effective_date(g: Graph) -> None:
    node = INSTRUMENT["detention-contract-limits"]
    assert g.value(node, PA.effectiveDate) is None
    assert "not their effective date" in one(g, node, SKOS.editorialNote, "en")


def test_penal_code_1016_3_b_chapter_and_date(g: Graph) -> None:
    node = INSTRUMENT["penal-code-1016-3-b"]
    assert str(g.value(node, DCTERMS.bibliographicCitation)) == (
        "Cal. Penal Code § 1016.3(b), added by AB 1343 (Thurmond), Stats. 2015, ch. 705 "
        "(in effect 1 Jan 2016)"
    )
    assert g.value(node, PA.effectiveDate) == Literal("2016-01-01", datatype=XSD.date)


# Confidence and Spanish ------------------------------------------------------------------------

EXPECTED_CONFIDENCE = {
    INSTRUMENT["trust-act"]: "reported",
    INSTRUMENT["truth-act"]: "verified",
    INSTRUMENT["california-values-act"]: "reported",
    INSTRUMENT["sb-580-model-policies"]: "verified",
    INSTRUMENT["detention-contract-limits"]: "verified",
    INSTRUMENT["penal-code-1016-3-b"]: "verified",
    INSTRUMENT["8-usc-1362"]: "verified",
    INSTRUMENT["fairness-to-freedom-act"]: "verified",
    INSTRUMENT["secure-communities"]: "reported",
    INSTRUMENT["los-angeles-ordinance-188441"]: "reported",
    FLOW["city-departments-to-immigration-enforcement"]: "verified",
    FLOW["cdcr-referrals"]: "verified",
    FLOW["jail-detainers-and-notifications"]: "reported",
    FLOW["booking-fingerprints"]: "reported",
}


def test_every_sourced_node_has_confidence_and_last_checked(graphs: dict[str, Graph]) -> None:
    levels = {VOCAB[f"confidence-{c}"] for c in ("verified", "reported", "general-knowledge")}
    for name, graph in graphs.items():
        sourced = set(graph.subjects(DCTERMS.source, None))
        assert sourced, name
        for s in sourced:
            confidence = list(graph.objects(s, PA.confidence))
            checked = list(graph.objects(s, PA.lastChecked))
            assert len(confidence) == 1 and confidence[0] in levels, (name, s)
            assert [c.toPython() for c in checked] == [date(2026, 12, 1)], (name, s)


def test_expected_confidence_levels(g: Graph) -> None:
    for node, level in EXPECTED_CONFIDENCE.items():
        assert g.value(node, PA.confidence) == VOCAB[f"confidence-{level}"], node


@pytest.mark.parametrize("name", FILES)
def test_every_english_text_has_a_spanish_one(graphs: dict[str, Graph], name: str) -> None:
    counts: Counter[tuple[object, object, str]] = Counter()
    for s, p, o in graphs[name]:
        if isinstance(o, Literal) and o.language in ("en", "es"):
            counts[(s, p, o.language)] += 1
    missing = [
        (s, p, n, counts[(s, p, "es")])
        for (s, p, lang), n in counts.items()
        if lang == "en" and counts[(s, p, "es")] != n
    ]
    assert missing == []
