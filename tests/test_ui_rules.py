"""House rule: the UI goes through the library.

Nothing under ui/ may import rdflib or pyoxigraph, or hold SPARQL text: pages call catalogue queries
(``atlas.query("cq-…")``), so the same .rq file answers the UI, the CLI and the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[1] / "ui"

FORBIDDEN_LIBRARIES = re.compile(r"\b(rdflib|pyoxigraph)\b")
SPARQL = [
    re.compile(r"\b(SELECT|CONSTRUCT|PREFIX)\b"),  # SPARQL keywords as queries write them
    re.compile(r"(?i)\bprefix\s+[\w-]*:\s*<"),  # a PREFIX declaration in any case
    re.compile(r"(?i)\bselect\s+(distinct\s+|reduced\s+)?[?$*]"),  # select ?x / select *
    re.compile(r"(?i)\b(construct|where|describe|ask)\s*\{\s*[?$<]"),  # a graph pattern
]


def ui_files() -> list[Path]:
    return sorted(
        path
        for path in UI.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def problems(text: str) -> list[str]:
    found = [f"mentions {m.group(0)}" for m in FORBIDDEN_LIBRARIES.finditer(text)]
    for pattern in SPARQL:
        found += [f"holds SPARQL text {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def test_the_ui_has_files_to_check() -> None:
    assert any(path.suffix == ".py" for path in ui_files()), f"no Python files under {UI}"


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: p.relative_to(UI).as_posix())
def test_ui_file_uses_only_the_library(path: Path) -> None:
    found = problems(path.read_text(encoding="utf-8", errors="replace"))
    assert not found, f"ui/{path.relative_to(UI).as_posix()}: " + "; ".join(found)


@pytest.mark.parametrize(
    "bad",
    [
        "import rdflib",
        "from pyoxigraph import Store",
        'q = "SELECT ?s WHERE { ?s ?p ?o }"',
        'q = "prefix pa: <https://w3id.org/pipeline-atlas/ont/>"',
        'q = "construct { ?s ?p ?o } where { ?s ?p ?o }"',
    ],
)
def test_the_rule_catches(bad: str) -> None:
    assert problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        'st.selectbox("Select a language", ["en", "es"])',
        'rows = state.rows("cq-001-stages-in-order")',
        "# Choose where to look.",
        'f"Ask {office} to commute sentences, where {place} allows it"',
    ],
)
def test_the_rule_lets_ordinary_code_through(good: str) -> None:
    assert not problems(good)
