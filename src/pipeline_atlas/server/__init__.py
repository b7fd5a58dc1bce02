"""The SPARQL endpoint: ``pipeline-atlas serve`` (an ASGI app, Starlette on uvicorn).

``create_app(atlas, settings)`` builds the app; :func:`serve` runs it on uvicorn. Routes:

* ``/sparql``: the SPARQL 1.1 Protocol (query by GET, POST form, POST direct), every query in
  a pool of sandboxed workers (:class:`~pipeline_atlas.store.sandbox.SandboxedStore`);
* ``/store``: Graph Store Protocol reads (writes are refused with 403);
* ``/``: the service description and VoID (a home page for browsers);
* ``/query``: the YASGUI query page, served from the package (never from a CDN);
* ``/api``: every catalogue query as a web API, its OpenAPI description and its RDF (SHACL
  ``sh:SPARQLExecutable``);
* ``/docs`` and ``/ont/<Term>``: the ontology's documentation.

Importing :mod:`pipeline_atlas` does not import this package (Starlette is the ``serve``
extra).
"""

from __future__ import annotations

from .settings import ServerSettings

__all__ = ["ServerSettings", "create_app", "serve"]


def __getattr__(name: str) -> object:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "serve":
        from .app import serve

        return serve
    raise AttributeError(name)
