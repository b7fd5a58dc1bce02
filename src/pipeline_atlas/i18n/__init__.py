"""The message catalogue: every word that the explorer, the plan and the CLI show, in English and
Spanish.

The graph's own labels come from the graph (``@en``, ``@es``); everything around them is one entry
of ``messages.toml`` (shipped in the wheel), read once with :mod:`tomllib`. A key is namespaced
(``plan.*``, ``ui.<page>.*``, ``cli.*``; one file per area under ``messages/``) and each
entry has one string per language in :data:`LANGUAGES`, with the same ``{name}`` placeholders.

>>> t("plan.title", "es", place="Oakland")
'Oakland: un plan para organizadores'
>>> t("cli.advice.build")
'build one with `pipeline-atlas build`'
>>> t("plan.titel")
Traceback (most recent call last):
...
pipeline_atlas.i18n.MessageError: no message 'plan.titel' in the catalogue; did you mean plan.title?
>>> missing_translations()
[]
"""

from __future__ import annotations

import difflib
import functools
import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from ..errors import AtlasError

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "MessageError",
    "load_messages",
    "messages",
    "missing_translations",
    "placeholders",
    "t",
]

LANGUAGES: tuple[str, ...] = ("en", "es")
"""The languages every message has, English first."""

CATALOGUE = "messages.toml"
"""The catalogue's file name inside this package."""

Messages = dict[str, dict[str, str]]


class MessageError(AtlasError):
    """A message that the catalogue lacks or cannot fill in, or a catalogue file that is malformed.

    ``key`` is the message's key (``None`` for a malformed file).
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def load_messages(path: str | Path) -> Messages:
    """Read a catalogue file: ``key → {language: text}``, the keys in the file's order.

    A table whose values are all strings is a message; a table of tables is a namespace. Raises
    :class:`MessageError` for a file that is not TOML or mixes the two.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MessageError(f"{path}: cannot read the message catalogue: {error}") from error
    return _flatten(data, source=str(path))


def _flatten(data: Mapping[str, object], *, source: str) -> Messages:
    found: Messages = {}

    def walk(prefix: str, table: Mapping[str, object]) -> None:
        for name, value in table.items():
            key = f"{prefix}{name}"
            if not isinstance(value, dict):
                raise MessageError(
                    f"{source}: {key} is a {type(value).__name__}; a message is a table with "
                    f"one string per language ({', '.join(LANGUAGES)})",
                    key=key,
                )
            if all(isinstance(v, str) for v in value.values()):
                found[key] = {str(lang): str(text) for lang, text in value.items()}
            elif any(isinstance(v, str) for v in value.values()):
                raise MessageError(f"{source}: {key} mixes texts and nested messages", key=key)
            else:
                walk(f"{key}.", value)

    walk("", data)
    return found


@functools.cache
def _catalogue() -> Messages:
    """``messages.toml`` and then every ``messages/*.toml`` (one file per area of the explorer),
    merged; a key defined twice is an error naming both files."""
    package = resources.files(__name__)
    found = _flatten(
        tomllib.loads(package.joinpath(CATALOGUE).read_text(encoding="utf-8")), source=CATALOGUE
    )
    origin = dict.fromkeys(found, CATALOGUE)
    extra = package.joinpath("messages")
    if extra.is_dir():
        for entry in sorted(extra.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            name = f"messages/{entry.name}"
            try:
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise MessageError(f"{name}: cannot read the message catalogue: {error}") from error
            for key, texts in _flatten(data, source=name).items():
                if key in found:
                    raise MessageError(
                        f"{name}: message {key!r} is already defined in {origin[key]}", key=key
                    )
                found[key] = texts
                origin[key] = name
    return found


def messages() -> dict[str, dict[str, str]]:
    """Every message of the catalogue: ``key → {language: text}`` (a copy to read freely).

    >>> messages()["ui.nav.place"]
    {'en': 'Your place', 'es': 'Su lugar'}
    """
    return {key: dict(texts) for key, texts in _catalogue().items()}


def placeholders(text: str) -> frozenset[str]:
    """The names of the ``{name}`` placeholders of ``text``.

    >>> sorted(placeholders("{a} and {b}, not {{c}}"))
    ['a', 'b']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def missing_translations(catalogue: Mapping[str, Mapping[str, str]] | None = None) -> list[str]:
    """The keys (sorted) of messages that lack a language of :data:`LANGUAGES` (or have it empty)
    or whose placeholders differ between languages; ``catalogue`` defaults to the shipped one.

    >>> missing_translations({"a.b": {"en": "Hello {name}", "es": "Hola {nombre}"},
    ...                       "a.c": {"en": "Yes"}, "a.d": {"en": "No", "es": "No"}})
    ['a.b', 'a.c']
    """
    entries = _catalogue() if catalogue is None else catalogue
    wrong: list[str] = []
    for key, texts in entries.items():
        lacking = any(not texts.get(lang, "").strip() for lang in LANGUAGES)
        if lacking or len({placeholders(texts[lang]) for lang in LANGUAGES}) > 1:
            wrong.append(key)
    return sorted(wrong)


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The message ``key`` in ``lang``, its ``{name}`` placeholders filled with ``values``.

    Never falls back to another language or to the key: raises :class:`MessageError` for a key
    the catalogue lacks (with close matches), a language it lacks, or a placeholder left without
    a value.

    >>> t("plan.stage", "es", order=1, label="Parada policial")
    'Etapa 1: Parada policial'
    >>> t("plan.stage", "en", order=1)
    Traceback (most recent call last):
    ...
    pipeline_atlas.i18n.MessageError: message 'plan.stage' needs a value for {label}
    """
    catalogue = _catalogue()
    texts = catalogue.get(key)
    if texts is None:
        close = difflib.get_close_matches(key, list(catalogue), n=3, cutoff=0.8)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise MessageError(f"no message {key!r} in the catalogue{hint}", key=key)
    text = texts.get(lang)
    if text is None:
        raise MessageError(
            f"message {key!r} has no text in language {lang!r}; the languages are "
            f"{', '.join(LANGUAGES)}",
            key=key,
        )
    try:
        return text.format(**values)
    except KeyError as error:
        raise MessageError(
            f"message {key!r} needs a value for {{{error.args[0]}}}", key=key
        ) from None
    except (IndexError, ValueError) as error:
        raise MessageError(f"message {key!r} cannot be filled in: {error}", key=key) from None
