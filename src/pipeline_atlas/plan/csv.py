"""A plan as CSV: one row per action and information flow (an action that blocks no flow, such
as a justice fund or a pardon, has one row with the flow empty; a flow no action addresses, such
as booking fingerprints, has one row with the action empty), the header row in the plan's
language.

Columns: stage, action, level, whom to press, instrument, information flow, what it would block
or limit, laws in force, what still gets through, status, source.
"""

from __future__ import annotations

import csv
import io

from ..i18n import t
from .markdown import level_word, status_word
from .model import Action, CityPlan, Flow, Stage

__all__ = ["COLUMNS", "rows", "to_csv"]

COLUMNS = (
    "stage",
    "action",
    "level",
    "body",
    "instrument",
    "flow",
    "blocks",
    "laws",
    "gaps",
    "status",
    "source",
)
"""The columns, by the catalogue key of their header (``plan.csv.<column>``)."""


def _bodies(action: Action) -> str:
    return "; ".join(action.press_labels)


def _levels(action: Action, lang: str) -> str:
    if action.level:
        return level_word(action.level, lang)
    levels = dict.fromkeys((b.level_label or "").lower() for b in action.press if b.level_label)
    return "; ".join(levels) or level_word(None, lang)


def _source(action: Action | None) -> str:
    if action is None:
        return ""
    urls = dict.fromkeys(p.url for p in action.passages if p.url)
    return "; ".join([*urls, *action.sources])


def _row(plan: CityPlan, stage: Stage, action: Action | None, flow: Flow | None) -> dict[str, str]:
    lang = plan.lang
    blocks = ""
    if action is not None:
        blocks = "; ".join(action.effects)
        if action.represents_in:
            blocks = "; ".join([blocks, *action.represents_in]) if blocks else blocks
    laws: tuple[str, ...] = flow.laws if flow is not None else ()
    if action is not None and not flow:
        laws = action.legal_basis
    return {
        "stage": t("plan.stage", lang, order=stage.order, label=stage.label),
        "action": action.label if action else "",
        "level": _levels(action, lang) if action else "",
        "body": _bodies(action) if action else "",
        "instrument": action.instrument if action else "",
        "flow": flow.label if flow else "",
        "blocks": blocks,
        "laws": "; ".join(laws),
        "gaps": (flow.remaining_gap or "") if flow else "",
        "status": status_word(flow.marker, lang) if flow else "",
        "source": _source(action),
    }


def rows(plan: CityPlan) -> list[dict[str, str]]:
    """The plan's rows, by column, in stage and source-document order."""
    out: list[dict[str, str]] = []
    for stage in plan.stages:
        covered: set[str] = set()
        for action in stage.actions:
            flows = [f for iri in action.blocks if (f := plan.flow(iri)) is not None]
            covered.update(f.flow for f in flows)
            if not flows:
                out.append(_row(plan, stage, action, None))
            out.extend(_row(plan, stage, action, flow) for flow in flows)
        out.extend(_row(plan, stage, None, f) for f in stage.flows if f.flow not in covered)
    return out


def to_csv(plan: CityPlan) -> str:
    """The plan as CSV text (RFC 4180, CRLF line ends), the header in the plan's language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([t(f"plan.csv.{column}", plan.lang) for column in COLUMNS])
    for row in rows(plan):
        writer.writerow([row[column] for column in COLUMNS])
    return buffer.getvalue()
