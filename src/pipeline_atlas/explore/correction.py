"""Report a correction: what a reader thinks is wrong or out of date about one node, prepared as
text to copy or a file to download, in a form the graph's maintainers can check and load
(docs/corrections.md; ``pipeline-atlas correction FILE``).

A report holds only the node, what is wrong, what it should say, the source that says otherwise,
the day it was prepared and the language it was written in. Nothing about the person: no name, no
e-mail, no address; a file with any other field is refused, so nothing personal slips in.

The file is JSON, version 1 (:data:`FORMAT`)::

    {
      "format": "pipeline-atlas-correction/1",
      "node": "https://w3id.org/pipeline-atlas/id/instrument/california-values-act",
      "node_label": "California Values Act (SB 54)",
      "what_is_wrong": "…",
      "what_it_should_say": "…",
      "source": "https://… or a citation",
      "prepared": "2026-12-01",
      "language": "en"
    }

>>> report = CorrectionReport(
...     node="https://w3id.org/pipeline-atlas/id/body/ice", node_label="ICE",
...     what_is_wrong="Old name.", what_it_should_say="New name.",
...     source="https://example.org/ice", prepared="2026-12-01")
>>> read_report(report.to_json()) == report
True
>>> read_report('{"format": "pipeline-atlas-correction/1",\\n "node": }')  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pipeline_atlas.explore.correction.ReportError: the report is not JSON at line 2 column 10: ...
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..atlas import Atlas
from ..errors import AtlasError, ParameterError
from ..i18n import LANGUAGES, t
from .links import node_iri, node_param

__all__ = [
    "FIELDS",
    "FORMAT",
    "CorrectionReport",
    "ReportError",
    "check_report",
    "prepare_report",
    "read_report",
]

FORMAT = "pipeline-atlas-correction/1"
"""The name and version of the report file's format (its ``format`` field)."""

FIELDS: tuple[str, ...] = (
    "format",
    "node",
    "node_label",
    "what_is_wrong",
    "what_it_should_say",
    "source",
    "prepared",
    "language",
)
"""Every field a report file may have; all but ``language`` (default ``en``) are required."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReportError(AtlasError):
    """A correction report that cannot be read: not JSON (with line and column), a field missing
    or unknown, or a value of the wrong kind."""


@dataclass(frozen=True)
class CorrectionReport:
    """One report: the node (its IRI and the label the reader saw), what is wrong, what it should
    say, the source that says otherwise (a URL or a citation), the day it was prepared
    (``YYYY-MM-DD``) and the language the reader wrote in."""

    node: str
    node_label: str
    what_is_wrong: str
    what_it_should_say: str
    source: str
    prepared: str
    language: str = "en"

    @property
    def is_complete(self) -> bool:
        """Whether the reader said what is wrong and gave a source."""
        return bool(self.what_is_wrong.strip() and self.source.strip())

    def to_text(self, lang: str | None = None) -> str:
        """The report as plain text to copy (headings in ``lang``, by default the report's).

        >>> print(CorrectionReport("https://w3id.org/pipeline-atlas/id/body/ice", "ICE",
        ...     "Old.", "New.", "https://example.org", "2026-12-01").to_text("en"))
        Pipeline Atlas: correction report (pipeline-atlas-correction/1)
        Node: ICE
        https://w3id.org/pipeline-atlas/id/body/ice
        What is wrong: Old.
        What it should say: New.
        Source that says otherwise: https://example.org
        Prepared on: 2026-12-01
        """
        lang = lang or self.language
        missing = t("ui.correction.report.missing", lang)
        lines = [
            t("ui.correction.report.title", lang, format=FORMAT),
            t("ui.correction.report.node", lang, label=self.node_label),
            self.node,
            t("ui.correction.report.wrong", lang, text=self.what_is_wrong.strip() or missing),
            t("ui.correction.report.should", lang, text=self.what_it_should_say.strip() or missing),
            t("ui.correction.report.source", lang, text=self.source.strip() or missing),
            t("ui.correction.report.prepared", lang, date=self.prepared),
        ]
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report file (:data:`FORMAT`), JSON with its fields in a fixed order."""
        data = {"format": FORMAT, **asdict(self)}
        return json.dumps({k: data[k] for k in FIELDS}, ensure_ascii=False, indent=2) + "\n"

    @property
    def file_name(self) -> str:
        """A name for the downloaded file: ``correction-<node name>-<date>.json``."""
        name = re.sub(r"[^A-Za-z0-9]+", "-", node_param(self.node).rsplit("/", 1)[-1]).strip("-")
        return f"correction-{name or 'node'}-{self.prepared}.json"


def prepare_report(
    node: str,
    node_label: str,
    what_is_wrong: str,
    what_it_should_say: str,
    source: str,
    *,
    lang: str = "en",
    today: dt.date | None = None,
) -> CorrectionReport:
    """A report on ``node`` (a full IRI or a short id) prepared today, its texts trimmed."""
    if lang not in LANGUAGES:
        raise ParameterError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    iri = node if node.startswith(("http://", "https://")) else node_iri(node)
    return CorrectionReport(
        node=iri,
        node_label=node_label.strip(),
        what_is_wrong=what_is_wrong.strip(),
        what_it_should_say=what_it_should_say.strip(),
        source=source.strip(),
        prepared=(today or dt.date.today()).isoformat(),
        language=lang,
    )


def read_report(text_or_path: str | Path, *, name: str | None = None) -> CorrectionReport:
    """Read a report from its JSON text or from a file; raises :class:`ReportError` with what is
    wrong and where (``name``, the file's path, or "the report")."""
    where = name or "the report"
    if isinstance(text_or_path, Path) or not text_or_path.lstrip().startswith("{"):
        path = Path(text_or_path)
        where = name or str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ReportError(f"{where}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportError(f"{where}: cannot be read: {exc}") from None
    else:
        text = text_or_path
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"{where} is not JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise ReportError(f"{where}: a report is a JSON object ({{…}}), not {type(data).__name__}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ReportError(
            f"{where}: unknown field {unknown[0]!r}; a report holds only "
            f"{', '.join(FIELDS)} (nothing about the person)"
        )
    for key in FIELDS:
        if key == "language":
            continue
        if key not in data:
            raise ReportError(f"{where}: missing field {key!r}")
    for key in FIELDS:
        if key in data and not isinstance(data[key], str):
            raise ReportError(f"{where}: field {key!r} must be text, not {data[key]!r}")
    if data["format"] != FORMAT:
        raise ReportError(f"{where}: field 'format' is {data['format']!r}, expected {FORMAT!r}")
    node = data["node"].strip()
    if not node.startswith(("http://", "https://")):
        raise ReportError(f"{where}: field 'node' is not a node IRI: {node!r}")
    try:
        node_iri(node)
    except ParameterError:
        raise ReportError(f"{where}: field 'node' is not a node IRI: {node!r}") from None
    if not _DATE.match(data["prepared"]):
        raise ReportError(
            f"{where}: field 'prepared' must be a date YYYY-MM-DD, not {data['prepared']!r}"
        )
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise ReportError(
            f"{where}: field 'language' must be one of {', '.join(LANGUAGES)}, not {language!r}"
        )
    return CorrectionReport(
        node=node,
        node_label=data["node_label"],
        what_is_wrong=data["what_is_wrong"],
        what_it_should_say=data["what_it_should_say"],
        source=data["source"],
        prepared=data["prepared"],
        language=language,
    )


def check_report(atlas: Atlas, report: CorrectionReport, *, lang: str = "en") -> list[str]:
    """What a maintainer must know before loading ``report``, in ``lang``: the node is not in
    the graph, the label the reader saw is not the graph's, nothing is said to be wrong, no
    source is given, or the date is impossible. An empty list: the report can be checked
    against its source and loaded."""
    from .graph import LABEL, STATEMENTS, node_label

    problems: list[str] = []
    try:
        rows = atlas.query(LABEL, params={"node": report.node}).rows
        labels = {str(row["label"]) for row in rows}
        known = bool(labels) or bool(
            atlas.query(STATEMENTS, params={"node": report.node}, max_rows=None).rows
        )
        current = node_label(atlas, report.node, lang=lang) if labels else None
    except ParameterError:
        known, labels, current = False, set(), None
    if not known:
        problems.append(t("ui.correction.problem.unknown_node", lang, node=report.node))
    elif report.node_label.strip() and report.node_label.strip() not in labels and current:
        problems.append(
            t(
                "ui.correction.problem.other_label",
                lang,
                seen=report.node_label.strip(),
                label=current.label,
            )
        )
    if not report.what_is_wrong.strip():
        problems.append(t("ui.correction.problem.no_claim", lang))
    if not report.source.strip():
        problems.append(t("ui.correction.problem.no_source", lang))
    try:
        if dt.date.fromisoformat(report.prepared) > dt.date.today() + dt.timedelta(days=1):
            problems.append(t("ui.correction.problem.future", lang, date=report.prepared))
    except ValueError:
        problems.append(t("ui.correction.problem.bad_date", lang, date=report.prepared))
    return problems
