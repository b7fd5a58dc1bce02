"""Build hook: ship the project's data inside the wheel.

All metadata lives in ``pyproject.toml``; this file only adds one step to setuptools' ``build_py``.
The top-level ``ontology/``, ``graph_data/`` and ``queries/`` folders are copied into the build tree
as ``pipeline_atlas/_data/{ontology,graph_data,queries}``, where ``pipeline_atlas.paths`` looks for
them when the package is not running from a checkout. ``MANIFEST.in`` puts the same folders in the
sdist, so that a wheel built from the sdist (what ``python -m build`` does) carries them too.

An editable install (``pip install -e .``) copies nothing: there the library reads the checkout.
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatch
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE = "pipeline_atlas"
DATA_DIRS = ("ontology", "graph_data", "queries")
IGNORED_NAMES = ("__pycache__", "*.py[co]", ".*", "*~")


def _ignored(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in IGNORED_NAMES)


def _ignore(_directory: str, names: list[str]) -> set[str]:
    return {name for name in names if _ignored(name)}


class BuildPyWithData(build_py):
    """``build_py`` that also copies the data folders into ``<package>/_data``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name, source, target in self._data_dirs():
            if not source.is_dir():
                raise SystemExit(
                    f"setup.py: the folder {name}/ is missing from {ROOT}; "
                    "an sdist without it was built without MANIFEST.in"
                )
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=_ignore)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if self.editable_mode:
            return outputs
        for _, source, target in self._data_dirs():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if path.is_file() and not any(_ignored(part) for part in relative.parts):
                    outputs.append(str(target / relative))
        return outputs

    def _data_dirs(self) -> list[tuple[str, Path, Path]]:
        data_root = Path(self.build_lib) / PACKAGE / "_data"
        return [(name, ROOT / name, data_root / name) for name in DATA_DIRS]


setup(cmdclass={"build_py": BuildPyWithData})
