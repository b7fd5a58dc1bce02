"""File names of the exports, and writing files so that a failed export leaves no half file."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["EXTENSIONS", "atomic_file", "atomic_folder", "default_name"]

EXTENSIONS: dict[str, str] = {
    "turtle": "ttl",
    "nt": "nt",
    "nquads": "nq",
    "trig": "trig",
    "rdfxml": "rdf",
    "jsonld": "jsonld",
    "csv": "csv",  # a folder of CSV files
    "xlsx": "xlsx",
    "sqlite": "sqlite",
    "postgres-sql": "sql",
    "neo4j": "neo4j",  # a folder: CSV files and a Cypher script
    "graphml": "graphml",
}
"""Each file format's file extension (a folder's suffix for the bundles)."""


def default_name(fmt: str) -> str:
    """``pipeline-atlas.<extension>``.

    >>> default_name("trig")
    'pipeline-atlas.trig'
    """
    return f"pipeline-atlas.{EXTENSIONS[fmt]}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block succeeds it replaces ``target``
    (one rename), otherwise it is removed and ``target`` is untouched.

    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_file(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("hello")
    >>> (folder / "a.txt").read_text()
    'hello'
    >>> shutil.rmtree(folder)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():  # mkstemp makes it 0600: give it the mode a new file would have
            tmp.chmod(0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Yield a new temporary folder beside ``target``; when the block succeeds it replaces
    ``target`` (an existing folder is removed after the new one is in place), otherwise it is
    removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        yield tmp
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700: the mode a new folder would have
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
