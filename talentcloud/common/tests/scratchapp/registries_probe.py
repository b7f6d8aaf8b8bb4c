"""Read by ``common/tests/test_registries.py`` only: the bare discovery mechanism."""

ITEMS = ["scratch item"]
KEYS = {"scratch.key": "scratch value"}
