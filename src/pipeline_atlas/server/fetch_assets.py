"""Fetch YASGUI (npm ``@zazuko/yasgui``) into ``server/static/yasgui/`` and verify it.

The query page's editor is served from the package, never from a CDN. Its files come from the
npm registry's tarball, fetched with the ordinary client (``npm pack``); the tarball's
``integrity`` (SHA-512, as the registry publishes it) must match :data:`INTEGRITY`, and the
SHA-256 of each copied file is recorded in ``README.txt`` beside them, which :func:`verify`
checks.

    python -m pipeline_atlas.server.fetch_assets           # fetch, verify, write the files
    python -m pipeline_atlas.server.fetch_assets --check   # only verify the committed files

To move to another version: change :data:`VERSION` and :data:`INTEGRITY` (``npm view
@zazuko/yasgui@<version> dist.integrity``), run the module, check the query page, commit.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

__all__ = ["FILES", "INTEGRITY", "PACKAGE", "TARGET", "VERSION", "fetch", "verify"]

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
INTEGRITY = "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="  # noqa: E501
LICENCE = "MIT"
FILES = ("yasgui.min.js", "yasgui.min.css")
"""The built files copied from the tarball's ``package/build/``."""

TARGET = Path(__file__).resolve().parent / "static" / "yasgui"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readme(hashes: dict[str, str]) -> str:
    """The text of ``README.txt``: where the files come from, their licence and hashes."""
    lines = [
        "YASGUI for the query page of `pipeline-atlas serve` (/query).",
        "",
        f"package:   {PACKAGE}",
        f"version:   {VERSION}",
        f"tarball:   npm pack {PACKAGE}@{VERSION} (the npm registry)",
        f"integrity: {INTEGRITY}",
        f"licence:   {LICENCE} (declared in its package.json; author Triply; Zazuko GmbH)",
        "files:     package/build/yasgui.min.js, package/build/yasgui.min.css, unchanged",
        "",
        "Re-fetch and verify: python -m pipeline_atlas.server.fetch_assets",
        "Verify only:         python -m pipeline_atlas.server.fetch_assets --check",
        "",
    ]
    lines += [f"sha256 {name} {digest}" for name, digest in sorted(hashes.items())]
    return "\n".join(lines) + "\n"


def recorded(target: Path = TARGET) -> dict[str, str]:
    """The SHA-256 of each file as ``README.txt`` records it."""
    found: dict[str, str] = {}
    note = target / "README.txt"
    if not note.is_file():
        return found
    for line in note.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "sha256":
            found[parts[1]] = parts[2]
    return found


def verify(target: Path = TARGET) -> list[str]:
    """What is wrong with the committed files (empty when they match ``README.txt``)."""
    problems = []
    hashes = recorded(target)
    for name in FILES:
        path = target / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif hashes.get(name) != _sha256(path):
            problems.append(f"{name} does not match the SHA-256 recorded in README.txt")
    note = target / "README.txt"
    if note.is_file() and INTEGRITY not in note.read_text(encoding="utf-8"):
        problems.append("README.txt does not record the tarball's integrity")
    return problems


def fetch(target: Path = TARGET) -> dict[str, str]:
    """``npm pack`` the package, check its integrity, copy the built files to ``target`` and
    write ``README.txt``; returns the files' SHA-256."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("fetch_assets: npm is not installed")
    with tempfile.TemporaryDirectory(prefix="yasgui-") as tmp:
        done = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            raise SystemExit(f"fetch_assets: npm pack failed: {done.stderr.strip()[-500:]}")
        (tarball,) = Path(tmp).glob("*.tgz")
        data = tarball.read_bytes()
        if _integrity(data) != INTEGRITY:
            raise SystemExit(
                f"fetch_assets: {tarball.name} has integrity {_integrity(data)}, "
                f"expected {INTEGRITY}"
            )
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for name in FILES:
                member = archive.extractfile(f"package/build/{name}")
                if member is None:
                    raise SystemExit(f"fetch_assets: {name} is not in the tarball")
                (target / name).write_bytes(member.read())
    hashes = {name: _sha256(target / name) for name in FILES}
    (target / "README.txt").write_text(readme(hashes), encoding="utf-8")
    return hashes


def main(argv: list[str] | None = None) -> int:
    """``--check``: verify only; otherwise fetch, then verify."""
    args = sys.argv[1:] if argv is None else argv
    if "--check" not in args:
        fetch()
    problems = verify()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(f"{PACKAGE}@{VERSION}: {', '.join(FILES)} verified")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
