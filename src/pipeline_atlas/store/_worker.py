"""Entry point of a sandbox worker process: ``python -m pipeline_atlas.store._worker FD``."""

from __future__ import annotations

import sys

from .sandbox import _worker_main

if __name__ == "__main__":  # pragma: no cover - the worker process
    _worker_main(int(sys.argv[1]))
