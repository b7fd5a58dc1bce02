"""Pipeline Atlas: a knowledge graph of California's Arrest-to-Deportation Pipeline.

The public API: :class:`Atlas` (a store and the query catalogue), its errors, and the store
protocol. Importing it loads pyoxigraph and PyYAML, never rdflib, owlready2, pySHACL or Streamlit
(build-time code lives in :mod:`pipeline_atlas.build` and :mod:`pipeline_atlas.sources`).

>>> from pipeline_atlas import Atlas, AtlasError
>>> issubclass(QueryNotFoundError, AtlasError)
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .atlas import Atlas, Stats
from .catalogue import CatalogueQuery, Param
from .errors import (
    AtlasError,
    CatalogueError,
    ForbiddenQueryError,
    FormatError,
    ParameterError,
    QueryLimitError,
    QueryNotFoundError,
    QueryStoppedError,
    ReasonerError,
    SparqlSyntaxError,
    StoreError,
    TurtleSyntaxError,
    ValidationError,
)
from .namespaces import PA, PREFIXES
from .paths import ProjectPaths, project_paths
from .results import QueryResult
from .store import Limits, QueryStore

try:
    __version__ = version("pipeline-atlas")
except PackageNotFoundError:  # a source checkout that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "PA",
    "PREFIXES",
    "Atlas",
    "AtlasError",
    "CatalogueError",
    "CatalogueQuery",
    "ForbiddenQueryError",
    "FormatError",
    "Limits",
    "Param",
    "ParameterError",
    "ProjectPaths",
    "QueryLimitError",
    "QueryNotFoundError",
    "QueryResult",
    "QueryStoppedError",
    "QueryStore",
    "ReasonerError",
    "SparqlSyntaxError",
    "Stats",
    "StoreError",
    "TurtleSyntaxError",
    "ValidationError",
    "__version__",
    "project_paths",
]
