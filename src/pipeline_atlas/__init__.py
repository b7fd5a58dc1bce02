"""Pipeline Atlas: a knowledge graph of California's Arrest-to-Deportation Pipeline.

>>> from pipeline_atlas import Atlas, AtlasError
>>> issubclass(QueryNotFoundError, AtlasError)
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .atlas import Atlas, Stats
from .errors import (
    AtlasError,
    CatalogueError,
    ForbiddenQueryError,
    FormatError,
    ParameterError,
    QueryLimitError,
    QueryNotFoundError,
    ReasonerError,
    SparqlSyntaxError,
    StoreError,
    TurtleSyntaxError,
    ValidationError,
)
from .namespaces import PA, PREFIXES
from .paths import ProjectPaths, project_paths
from .queries import CatalogueQuery, Param
from .results import QueryResult

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
    "Param",
    "ParameterError",
    "ProjectPaths",
    "QueryLimitError",
    "QueryNotFoundError",
    "QueryResult",
    "ReasonerError",
    "SparqlSyntaxError",
    "Stats",
    "StoreError",
    "TurtleSyntaxError",
    "ValidationError",
    "__version__",
    "project_paths",
]
