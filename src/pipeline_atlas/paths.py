"""Where the project's files are: ontology/, graph_data/, queries/ and the build directory.

In a source checkout they sit at the repository root (the parent of ``src/``). In an installed
wheel they are shipped inside the package as ``pipeline_atlas/_data/{ontology,graph_data,queries}``
and generated files go to a user cache directory. Everything else asks :func:`project_paths`.

>>> paths = project_paths()
>>> paths.ontology.name, paths.graph_data.name, paths.queries.name
('ontology', 'graph_data', 'queries')
>>> paths.relative(paths.graph_data / "seed" / "actions.ttl")
'graph_data/seed/actions.ttl'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENV_ROOT", "ProjectPaths", "product_paths", "project_paths"]

ENV_ROOT = "PIPELINE_ATLAS_ROOT"
"""Environment variable naming a directory that holds ontology/, graph_data/ and queries/."""

_PACKAGE_DIR = Path(__file__).resolve().parent
_DATA_DIRS = ("ontology", "graph_data", "queries")


@dataclass(frozen=True)
class ProjectPaths:
    """The project's directories, all derived from one ``root``.

    ``root`` holds ``ontology/``, ``graph_data/`` and ``queries/``; named-graph IRIs are made
    from paths relative to it. ``build`` is where generated files (stores, reports) go.

    >>> p = ProjectPaths.at(Path("/tmp/x"))
    >>> str(p.queries), str(p.build)
    ('/tmp/x/queries', '/tmp/x/build')
    """

    root: Path
    build: Path

    @classmethod
    def at(cls, root: Path, *, build: Path | None = None) -> ProjectPaths:
        """Paths for a project rooted at ``root`` (build directory ``root/build`` unless given)."""
        root = Path(root)
        return cls(root=root, build=Path(build) if build is not None else root / "build")

    @property
    def ontology(self) -> Path:
        """The TBox and shapes directory."""
        return self.root / "ontology"

    @property
    def graph_data(self) -> Path:
        """The ABox directory (one folder a source)."""
        return self.root / "graph_data"

    @property
    def queries(self) -> Path:
        """The query catalogue directory."""
        return self.root / "queries"

    @property
    def default_store(self) -> Path:
        """Where ``pipeline-atlas build`` puts its persistent store unless told otherwise."""
        return self.build / "store"

    def relative(self, path: Path) -> str:
        """``path`` relative to the root with ``/`` separators, or the path itself if outside it."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "pipeline-atlas"


def _is_data_root(path: Path) -> bool:
    return any((path / name).is_dir() for name in _DATA_DIRS)


def project_paths(root: Path | None = None) -> ProjectPaths:
    """Find the project's directories.

    Order: an explicit ``root``; the ``PIPELINE_ATLAS_ROOT`` environment variable; the source
    checkout this module lives in (``src/pipeline_atlas`` → repository root, build dir
    ``<root>/build``); the data shipped in an installed wheel (``pipeline_atlas/_data``, build dir
    ``$XDG_CACHE_HOME/pipeline-atlas`` or ``~/.cache/pipeline-atlas``).

    >>> project_paths(Path("/srv/atlas")).graph_data.as_posix()
    '/srv/atlas/graph_data'
    """
    if root is not None:
        return ProjectPaths.at(Path(root))
    env = os.environ.get(ENV_ROOT)
    if env:
        return ProjectPaths.at(Path(env))
    return product_paths()


def product_paths() -> ProjectPaths:
    """The product's own directories (the source checkout, or the data shipped in the wheel),
    whatever ``PIPELINE_ATLAS_ROOT`` says: where the product's built-in queries are.

    >>> (product_paths().queries / "stats").is_dir()
    True
    """
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file() and _is_data_root(checkout):
        return ProjectPaths.at(checkout)
    shipped = _PACKAGE_DIR / "_data"
    if _is_data_root(shipped):
        return ProjectPaths(root=shipped, build=_cache_dir())
    # Neither: fall back to the checkout layout so error messages name sensible paths.
    return ProjectPaths.at(checkout)
