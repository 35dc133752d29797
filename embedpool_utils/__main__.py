"""``python -m embedpool_utils inspect MODEL.keras``: the model inspector's command line (see :mod:`embedpool_utils.inspector.cli`)."""

from embedpool_utils.inspector.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
