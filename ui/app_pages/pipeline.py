"""The pipeline, stage by stage.

For each stage, in order: the actions organizers can take, the body or office each action targets,
and the bodies that can block information sharing with immigration enforcement. Everything comes
from catalogue queries run through the library; the page only arranges the rows as plain text, one
heading per stage, so that it reads and prints well. Its words come from the message catalogue
(keys ``ui.pipeline.*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state

STAGES = "cq-001-stages-in-order"
ACTIONS = "cq-002-actions-at-stage"
BLOCKERS = "cq-003-who-can-block-information-sharing"


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


def action_lines(actions: dict[str, Action], lang: str) -> list[str]:
    """A Markdown list of the actions at one stage, in ``lang``."""
    lines = []
    for action in actions.values():
        details = [
            f"{t(key, lang)}: {', '.join(md(v) for v in values)}"
            for key, values in (
                ("ui.pipeline.target", distinct(action.targets)),
                ("ui.pipeline.instrument", distinct(action.instruments)),
                ("ui.pipeline.scope", distinct(action.scopes)),
            )
            if values
        ]
        lines.append(f"- **{md(action.label)}**")
        lines.extend(f"    - {detail}" for detail in details)
    return lines


def blocker_lines(blockers: dict[str, Blocker], lang: str) -> list[str]:
    """A Markdown list of the bodies that can block information sharing at one stage (``lang``)."""
    lines = []
    for blocker in blockers.values():
        lines.append(f"- **{md(blocker.label)}**")
        for action, agency, data in dict.fromkeys(blocker.ways):
            if agency:
                if data:
                    what = t("ui.pipeline.blocks", lang, agency=md(agency), data=md(data))
                else:
                    what = t("ui.pipeline.blocks_no_data", lang, agency=md(agency))
                if action:
                    what += f" ({t('ui.pipeline.by_action', lang, action=md(action))})"
                lines.append(f"    - {what}")
            elif action:
                lines.append(f"    - {t('ui.pipeline.by_action', lang, action=md(action))}")
        for passage in distinct(blocker.passages):
            lines.append(f"    - {t('ui.pipeline.source', lang)}: “{md(passage)}”")
    return lines


lang = state.language()

st.title(t("ui.pipeline.title", lang))
st.write(t("ui.pipeline.intro", lang))

try:
    stages = sorted(state.rows(STAGES), key=lambda row: int(row.get("order") or 0))
    actions = actions_by_stage(state.rows(ACTIONS))
    blockers = blockers_by_stage(state.rows(BLOCKERS))
except AtlasError as error:
    st.error(t("ui.pipeline.error", lang, message=error))
    st.stop()

if not stages:
    st.warning(t("ui.pipeline.no_stages", lang))
    st.stop()

headings = [
    (
        str(row.get("stage")),
        t("ui.pipeline.stage", lang, order=row.get("order"), label=md(label(row, "stage"))),
    )
    for row in stages
]

st.markdown(
    f"**{t('ui.pipeline.contents', lang)}**\n\n"
    + "\n".join(f"{n}. [{heading}](#stage-{n})" for n, (_, heading) in enumerate(headings, 1))
)

for n, (stage, heading) in enumerate(headings, 1):
    st.header(heading, anchor=f"stage-{n}", divider="gray")

    st.subheader(t("ui.pipeline.actions", lang))
    lines = action_lines(actions.get(stage, {}), lang)
    st.markdown("\n".join(lines) if lines else t("ui.pipeline.no_actions", lang))

    st.subheader(t("ui.pipeline.blockers", lang))
    lines = blocker_lines(blockers.get(stage, {}), lang)
    st.markdown("\n".join(lines) if lines else t("ui.pipeline.no_blockers", lang))

st.divider()
st.caption(t("ui.pipeline.footer", lang))
