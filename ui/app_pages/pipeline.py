"""The pipeline, stage by stage.

For each stage, in order: the actions organizers can take, the body or office each action targets,
and the bodies that can block information sharing with immigration enforcement. Everything comes
from catalogue queries run through the library; the page only arranges the rows as plain text, one
heading per stage, so that it reads and prints well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

import state
from pipeline_atlas import AtlasError

STAGES = "cq-001-stages-in-order"
ACTIONS = "cq-002-actions-at-stage"
BLOCKERS = "cq-003-who-can-block-information-sharing"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "The Arrest-to-Deportation Pipeline, stage by stage",
        "intro": (
            "The stages a person moves through after a police stop, in order. For each stage: "
            "what organizers can do, the body or office each action is aimed at, and which "
            "bodies can block the sharing of information with immigration enforcement."
        ),
        "contents": "Stages",
        "stage": "Stage {order}: {label}",
        "actions": "What organizers can do",
        "no_actions": "No actions are recorded for this stage.",
        "target": "aimed at",
        "instrument": "through",
        "scope": "scope",
        "blockers": "Who can block information sharing",
        "no_blockers": "No body with authority to block information sharing is recorded here.",
        "blocks": "stops {agency} from sharing: {data}",
        "blocks_no_data": "stops {agency} from sharing information",
        "by_action": "action: {action}",
        "source": "source",
        "no_stages": "The graph holds no stages. Check the data in graph_data/.",
        "error": "The graph could not answer: {message}",
        "footer": (
            "Stages and actions: California Immigrant Policy Center, “Actions for organizers”. "
            "Graph data: CC BY-SA 4.0."
        ),
    },
    "es": {
        "title": "La cadena del arresto a la deportación, etapa por etapa",
        "intro": (
            "Las etapas por las que pasa una persona después de una parada policial, en orden. "
            "Para cada etapa: qué pueden hacer los organizadores, a qué órgano o cargo se dirige "
            "cada acción y qué órganos pueden bloquear el intercambio de información con las "
            "autoridades de control migratorio."
        ),
        "contents": "Etapas",
        "stage": "Etapa {order}: {label}",
        "actions": "Qué pueden hacer los organizadores",
        "no_actions": "No hay acciones registradas para esta etapa.",
        "target": "dirigida a",
        "instrument": "mediante",
        "scope": "alcance",
        "blockers": "Quién puede bloquear el intercambio de información",
        "no_blockers": (
            "No hay ningún órgano registrado con autoridad para bloquear el intercambio de "
            "información en esta etapa."
        ),
        "blocks": "impide que {agency} comparta: {data}",
        "blocks_no_data": "impide que {agency} comparta información",
        "by_action": "acción: {action}",
        "source": "fuente",
        "no_stages": "El grafo no tiene etapas. Revise los datos de graph_data/.",
        "error": "El grafo no pudo responder: {message}",
        "footer": (
            "Etapas y acciones: California Immigrant Policy Center, “Actions for organizers”. "
            "Datos del grafo: CC BY-SA 4.0."
        ),
    },
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def md(text: object) -> str:
    """Text from the graph, escaped so that Streamlit's Markdown shows it as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def label(row: dict[str, Any], name: str) -> str | None:
    """The label column ``<name>Label``, or the end of the IRI in column ``name``."""
    text = row.get(f"{name}Label")
    if text:
        return str(text)
    iri = row.get(name)
    if iri:
        return re.split(r"[/#]", str(iri).rstrip("/"))[-1]
    return None


def distinct(values: Iterable[str | None]) -> list[str]:
    """The values that are set, once each, in the order first seen."""
    return list(dict.fromkeys(v for v in values if v))


@dataclass
class Action:
    """One action organizers can take at a stage, with what the rows say about it."""

    label: str
    targets: list[str | None] = field(default_factory=list)
    instruments: list[str | None] = field(default_factory=list)
    scopes: list[str | None] = field(default_factory=list)


@dataclass
class Blocker:
    """A body that can block information sharing at a stage: (action, agency, data) and quotes."""

    label: str
    ways: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)
    passages: list[str | None] = field(default_factory=list)


def actions_by_stage(rows: list[dict[str, Any]]) -> dict[str, dict[str, Action]]:
    """Rows of the actions query grouped as stage IRI → action IRI → :class:`Action`."""
    grouped: dict[str, dict[str, Action]] = {}
    for row in rows:
        if not (row.get("action") or row.get("actionLabel")):
            continue
        key = str(row.get("action") or row.get("actionLabel"))
        action = grouped.setdefault(str(row.get("stage")), {}).setdefault(
            key, Action(label(row, "action") or key)
        )
        action.targets.append(label(row, "target"))
        action.instruments.append(row.get("instrumentLabel"))
        action.scopes.append(row.get("scopeLabel"))
    return grouped


def blockers_by_stage(rows: list[dict[str, Any]]) -> dict[str, dict[str, Blocker]]:
    """Rows of the who-can-block query grouped as stage IRI → body IRI → :class:`Blocker`."""
    grouped: dict[str, dict[str, Blocker]] = {}
    for row in rows:
        if not (row.get("body") or row.get("bodyLabel")):
            continue  # a stage where no body can block any flow
        key = str(row.get("body") or row.get("bodyLabel"))
        blocker = grouped.setdefault(str(row.get("stage")), {}).setdefault(
            key, Blocker(label(row, "body") or key)
        )
        blocker.ways.append((label(row, "action"), label(row, "agency"), row.get("dataKindLabel")))
        blocker.passages.append(row.get("passageText"))
    return grouped


def action_lines(actions: dict[str, Action], text: dict[str, str]) -> list[str]:
    """A Markdown list of the actions at one stage."""
    lines = []
    for action in actions.values():
        details = [
            f"{text[name]}: {', '.join(md(v) for v in values)}"
            for name, values in (
                ("target", distinct(action.targets)),
                ("instrument", distinct(action.instruments)),
                ("scope", distinct(action.scopes)),
            )
            if values
        ]
        lines.append(f"- **{md(action.label)}**")
        lines.extend(f"    - {detail}" for detail in details)
    return lines


def blocker_lines(blockers: dict[str, Blocker], text: dict[str, str]) -> list[str]:
    """A Markdown list of the bodies that can block information sharing at one stage."""
    lines = []
    for blocker in blockers.values():
        lines.append(f"- **{md(blocker.label)}**")
        for action, agency, data in dict.fromkeys(blocker.ways):
            if agency:
                template = text["blocks"] if data else text["blocks_no_data"]
                what = template.format(agency=md(agency), data=md(data or ""))
                if action:
                    what += f" ({text['by_action'].format(action=md(action))})"
                lines.append(f"    - {what}")
            elif action:
                lines.append(f"    - {text['by_action'].format(action=md(action))}")
        for passage in distinct(blocker.passages):
            lines.append(f"    - {text['source']}: “{md(passage)}”")
    return lines


lang = state.language()
text = TEXT[lang]

st.title(text["title"])
st.write(text["intro"])

try:
    stages = sorted(state.rows(STAGES), key=lambda row: int(row.get("order") or 0))
    actions = actions_by_stage(state.rows(ACTIONS))
    blockers = blockers_by_stage(state.rows(BLOCKERS))
except AtlasError as error:
    st.error(text["error"].format(message=error))
    st.stop()

if not stages:
    st.warning(text["no_stages"])
    st.stop()

headings = [
    (
        str(row.get("stage")),
        text["stage"].format(order=row.get("order"), label=md(label(row, "stage"))),
    )
    for row in stages
]

st.markdown(
    f"**{text['contents']}**\n\n"
    + "\n".join(f"{n}. [{heading}](#stage-{n})" for n, (_, heading) in enumerate(headings, 1))
)

for n, (stage, heading) in enumerate(headings, 1):
    st.header(heading, anchor=f"stage-{n}", divider="gray")

    st.subheader(text["actions"])
    lines = action_lines(actions.get(stage, {}), text)
    st.markdown("\n".join(lines) if lines else text["no_actions"])

    st.subheader(text["blockers"])
    lines = blocker_lines(blockers.get(stage, {}), text)
    st.markdown("\n".join(lines) if lines else text["no_blockers"])

st.divider()
st.caption(text["footer"])
