"""The endpoint's few HTML pages (home, query page, API list), in English or Spanish.

Every word comes from the message catalogue (:func:`pipeline_atlas.i18n.t`); every value from
the catalogue or a request is escaped. The pages load nothing but the server's own files: the
``Content-Security-Policy`` header restricts scripts, styles, images, fonts and requests to
``'self'`` (YASGUI sets inline styles, hence ``'unsafe-inline'`` for styles only).
"""

from __future__ import annotations

import html as _html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.responses import HTMLResponse

from ..catalogue import CatalogueQuery
from ..i18n import t
from ..store.base import prepare_query

__all__ = ["CSP", "api_page", "examples", "home", "html", "query_page"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The Content-Security-Policy of every page: nothing from another host."""


def html(body: str, *, yasgui: bool = False) -> HTMLResponse:
    """An HTML answer with the page's Content-Security-Policy."""
    return HTMLResponse(
        body, headers={"Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"}
    )


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _page(lang: str, title: str, body: str, *, head: str = "") -> str:
    other = "es" if lang == "en" else "en"
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
        '<link rel="stylesheet" href="/static/atlas.css">\n'
        f"{head}</head>\n<body>\n"
        f'<nav><a href="/">{_e(t("cli.server.page.home", lang))}</a> · '
        f'<a href="/query">{_e(t("cli.server.page.query", lang))}</a> · '
        f'<a href="/api">{_e(t("cli.server.page.api", lang))}</a> · '
        f'<a href="/docs/">{_e(t("cli.server.page.docs", lang))}</a> · '
        f'<a href="?lang={other}" hreflang="{other}" data-lang="{other}">'
        f"{_e(t('cli.server.page.other_language', lang))}</a></nav>\n"
        f"{body}\n</body>\n</html>\n"
    )


def home(lang: str, *, docs: bool) -> str:
    """The home page for browsers (RDF clients get the service description)."""
    items = [
        ("/query", t("cli.server.page.query", lang), t("cli.server.page.query_about", lang)),
        ("/api", t("cli.server.page.api", lang), t("cli.server.page.api_about", lang)),
        ("/sparql", "SPARQL", t("cli.server.page.sparql_about", lang)),
    ]
    if docs:
        items.append(
            ("/docs/", t("cli.server.page.docs", lang), t("cli.server.page.docs_about", lang))
        )
    links = "\n".join(
        f'<li><a href="{href}">{_e(label)}</a>: {_e(about)}</li>' for href, label, about in items
    )
    body = (
        f"<h1>{_e(t('cli.server.page.title', lang))}</h1>\n"
        f"<p>{_e(t('cli.server.page.intro', lang))}</p>\n<ul>\n{links}\n</ul>\n"
        f"<p>{_e(t('cli.server.page.rdf_clients', lang))}</p>"
    )
    return _page(lang, t("cli.server.page.title", lang), body)


def examples(catalogue: Iterable[CatalogueQuery]) -> list[dict[str, str]]:
    """The competency questions as YASGUI tabs: name, question (English; ``question_es`` the
    Spanish) and text, with the examples of required parameters bound (a ``VALUES`` block
    written from RDF terms)."""
    found = []
    for query in catalogue:
        if query.group != "cq":
            continue
        text = query.body
        required = {p.name: p.example for p in query.params if p.required and p.example}
        try:
            bindings = query.bind(required)
            text = prepare_query(text, bindings=bindings, source=query.id).text
        except Exception:  # an example that does not bind: the query's own text
            text = query.body
        found.append(
            {
                "id": query.id,
                "name": query.id[:6],
                "question": query.question,
                "question_es": query.question_for("es"),
                "query": text,
            }
        )
    return found


def query_page(lang: str, tabs: Sequence[dict[str, str]]) -> str:
    """The YASGUI page: the editor and results (``/static/yasgui``), configured by
    ``/static/query.js`` with ``/sparql`` and the example queries (JSON data, not a script),
    each with its question in ``lang``."""
    tabs = [
        {k: v for k, v in tab.items() if k != "question_es"}
        | {"question": tab.get(f"question_{lang}") or tab["question"]}
        for tab in tabs
    ]
    data = json.dumps(
        {"endpoint": "/sparql", "lang": lang, "examples": list(tabs)}, ensure_ascii=False
    ).replace("</", "<\\/")
    listing = "\n".join(
        f'<li><a href="#" data-example="{_e(tab["id"])}">{_e(tab["id"])}</a>: '
        f"{_e(tab['question'])}</li>"
        for tab in tabs
    )
    head = '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">\n'
    body = (
        f"<h1>{_e(t('cli.server.page.query', lang))}</h1>\n"
        f"<p>{_e(t('cli.server.page.query_help', lang))}</p>\n"
        '<div id="yasgui"></div>\n'
        f"<details><summary>{_e(t('cli.server.page.examples', lang))}</summary>"
        f'<ul id="examples">\n{listing}\n</ul></details>\n'
        f'<script type="application/json" id="atlas-config">{data}</script>\n'
        '<script src="/static/yasgui/yasgui.min.js"></script>\n'
        '<script src="/static/query.js"></script>'
    )
    return _page(lang, t("cli.server.page.query", lang), body, head=head)


def _question(entry: dict[str, Any], lang: str) -> str:
    texts = entry.get("translations", {}).get(lang) or entry
    return str(texts.get("question") or texts.get("summary") or "")


def api_page(lang: str, listing: Sequence[dict[str, Any]]) -> str:
    """The catalogue for browsers: each query, its question (in ``lang``, from the listing's
    ``translations``), parameters and an example link."""
    rows = []
    for entry in listing:
        params = ", ".join(
            f"{p['name']}{'' if p['required'] else '?'} ({p['type']})" for p in entry["parameters"]
        )
        rows.append(
            f'<tr><td><a href="{_e(entry["example"])}">{_e(entry["id"])}</a></td>'
            f"<td>{_e(_question(entry, lang))}</td><td>{_e(params)}</td></tr>"
        )
    body = (
        f"<h1>{_e(t('cli.server.page.api', lang))}</h1>\n"
        f"<p>{_e(t('cli.server.page.api_help', lang))} "
        '<a href="/api/openapi.json">OpenAPI</a> · <a href="/api/catalogue">RDF</a></p>\n'
        f"<table><thead><tr><th>{_e(t('cli.server.page.col_query', lang))}</th>"
        f"<th>{_e(t('cli.server.page.col_question', lang))}</th>"
        f"<th>{_e(t('cli.server.page.col_params', lang))}</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
    return _page(lang, t("cli.server.page.api", lang), body)
