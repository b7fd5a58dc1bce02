"""Issue 6, "words in one place": the message catalogue (pipeline_atlas.i18n).

Every message has English and Spanish with the same placeholders; every key that src/ and ui/ use
is in the catalogue; a key it lacks is a clear error, never a fallback; a catalogue whose message
lacks its Spanish entry is caught.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline_atlas import AtlasError
from pipeline_atlas.i18n import (
    LANGUAGES,
    MessageError,
    load_messages,
    messages,
    missing_translations,
    placeholders,
    t,
)

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "src" / "pipeline_atlas" / "i18n" / "messages.toml"
NAMESPACES = ("plan", "ui", "cli", "exchange")  # ui.<page>.* for each page of the explorer
# A string that looks like a catalogue key: a namespace, then dotted lower-case words.
KEY = re.compile(r"(?:plan|ui|cli|exchange)(?:\.[a-z][a-z0-9_]*)+")


def python_files() -> list[Path]:
    return sorted(
        path
        for folder in (ROOT / "src", ROOT / "ui")
        for path in folder.rglob("*.py")
        if "__pycache__" not in path.parts
    )


def keys_used(path: Path) -> set[str]:
    """The first argument of every ``t("…")`` / ``….t("…")`` call, and every string literal of the
    file that looks like a catalogue key (a key chosen before the call, e.g. in a dict)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if isinstance(node.func, ast.Attribute):
                name = node.func.attr
            first = node.args[0]
            if name == "t" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and KEY.fullmatch(node.value)
        ):
            found.add(node.value)
    return found


# The shipped catalogue -------------------------------------------------------------------------


def test_every_message_has_english_and_spanish_with_the_same_placeholders() -> None:
    assert LANGUAGES == ("en", "es")
    wrong = missing_translations()
    assert not wrong, {key: messages()[key] for key in wrong}


def test_every_key_is_namespaced() -> None:
    stray = [key for key in messages() if not key.startswith(tuple(f"{n}." for n in NAMESPACES))]
    assert not stray


def test_the_cli_messages_are_there() -> None:
    assert t("cli.advice.list_queries") == "`pipeline-atlas queries` lists them"
    assert t("cli.advice.timeout") == "simplify the query or raise --timeout"
    assert t("cli.advice.memory") == "simplify the query or raise --memory-mb"
    assert t("cli.advice.build") == "build one with `pipeline-atlas build`"
    assert t("cli.note.building_in_memory", store="build/store") == (
        "no store at build/store; building the graph in memory"
    )
    assert t("cli.note.stale", file="a.ttl", store="build/store") == (
        "a.ttl is newer than the store build/store; run `pipeline-atlas build` to refresh it"
    )
    assert "`pipeline-atlas build`" in t("cli.note.stale", "es", file="a.ttl", store="s")


def test_spanish_follows_the_glossary() -> None:
    assert t("plan.stage", "es", order=1, label="x") == "Etapa 1: x"
    assert "autoridades de control migratorio" in t("ui.pipeline.intro", "es")
    assert "cadena del arresto a la deportación" in t("ui.pipeline.title", "es")
    assert t("ui.nav.place", "es") == "Su lugar"


def test_messages_is_a_copy() -> None:
    messages()["plan.title"]["en"] = "changed"
    assert t("plan.title", place="X") == "X: a plan for organizers"


def test_the_catalogue_files_are_the_ones_read() -> None:
    merged = load_messages(CATALOGUE)
    for extra in sorted((CATALOGUE.parent / "messages").glob("*.toml")):
        part = load_messages(extra)
        assert not set(part) & set(merged), f"{extra.name} defines a key twice"
        merged.update(part)
    assert merged == messages()


# Keys used in the code -------------------------------------------------------------------------


def test_the_scan_finds_keys() -> None:
    files = python_files()
    used = set().union(*(keys_used(path) for path in files))
    # The plan, both pages, the entrypoint and the shared state all take their words from it.
    for key in (
        "plan.title",
        "plan.no",
        "ui.place.title",
        "ui.pipeline.whom_to_press",
        "ui.nav.place",
    ):
        assert key in used, key
    assert "ui.state.building" in used


def test_the_scan_catches_a_key_the_catalogue_lacks(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        'st.title(t("ui.city.titel", lang))\nKEYS = {"x": "plan.nope"}\nst.write(t("plan.title"))\n'
    )
    assert keys_used(page) - set(messages()) == {"ui.city.titel", "plan.nope"}


@pytest.mark.parametrize("path", python_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_key_used_is_in_the_catalogue(path: Path) -> None:
    unknown = sorted(keys_used(path) - set(messages()))
    assert not unknown, f"{path.relative_to(ROOT)} uses keys the catalogue lacks: {unknown}"


def test_no_words_are_left_in_the_old_places() -> None:
    for relative in ("ui/app_pages/place.py", "ui/app_pages/pipeline.py", "ui/streamlit_app.py"):
        text = (ROOT / relative).read_text(encoding="utf-8")
        assert "TEXT" not in text and "TITLES" not in text, relative
    plan = (ROOT / "src/pipeline_atlas/plan").glob("*.py")
    assert not any("_UNKNOWN_WORDS" in p.read_text(encoding="utf-8") for p in plan)
    for query in ("cq-015-bodies-governing-a-place", "cq-018-justice-funds-and-criminal-records"):
        body = "\n".join(
            line
            for line in (ROOT / "queries/cq" / f"{query}.rq").read_text().splitlines()
            if not line.startswith("#")
        )
        assert '"unknown"' not in body and '"desconocido"' not in body, query


# Errors ----------------------------------------------------------------------------------------


def test_an_unknown_key_is_a_clear_error() -> None:
    with pytest.raises(MessageError) as caught:
        t("plan.titel")
    assert isinstance(caught.value, AtlasError)
    assert not isinstance(caught.value, KeyError)
    assert caught.value.key == "plan.titel"
    assert str(caught.value) == "no message 'plan.titel' in the catalogue; did you mean plan.title?"


def test_an_unknown_key_far_from_any_has_no_hint() -> None:
    with pytest.raises(MessageError, match=r"^no message 'nothing\.like\.it' in the catalogue$"):
        t("nothing.like.it")


def test_an_unknown_language_is_an_error_not_a_fallback() -> None:
    with pytest.raises(
        MessageError, match="has no text in language 'fr'; the languages are en, es"
    ):
        t("plan.title", "fr", place="X")


def test_a_missing_value_is_an_error() -> None:
    with pytest.raises(MessageError, match=r"message 'plan.title' needs a value for \{place\}"):
        t("plan.title", "en")


def test_placeholders() -> None:
    assert placeholders("{a} and {b}") == {"a", "b"}
    assert placeholders("{{literal}}") == frozenset()


# A broken catalogue is caught ------------------------------------------------------------------

BROKEN = """\
[plan.fine]
en = "Stage {order}"
es = "Etapa {order}"

[plan.no_spanish]
en = "Who to contact"

[plan.empty_spanish]
en = "Who to contact"
es = "  "

[ui.city.other_placeholder]
en = "Your city: {city}"
es = "Tu ciudad: {ciudad}"
"""


@pytest.fixture
def broken_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "messages.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_a_message_without_its_spanish_entry_is_reported(broken_catalogue: Path) -> None:
    catalogue = load_messages(broken_catalogue)
    assert list(catalogue) == [
        "plan.fine",
        "plan.no_spanish",
        "plan.empty_spanish",
        "ui.city.other_placeholder",
    ]
    assert missing_translations(catalogue) == [
        "plan.empty_spanish",
        "plan.no_spanish",
        "ui.city.other_placeholder",
    ]


def test_a_message_without_english_is_reported() -> None:
    assert missing_translations({"ui.nav.x": {"es": "Hola"}}) == ["ui.nav.x"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("plan = 1", "plan is a int"),
        ('[plan.x]\nen = "a"\n[plan.x.y]\nen = "b"\nes = "c"', "plan.x mixes texts and nested"),
        ("[plan.x\n", "cannot read the message catalogue"),
    ],
)
def test_a_malformed_catalogue_is_a_clear_error(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "messages.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MessageError, match=re.escape(error)):
        load_messages(path)
