from __future__ import annotations

from talentcloud.common.registries import Declarations, keyed

from .scratch import scratch_app

PROBE: Declarations[str] = Declarations("registries_probe", "ITEMS")


def test_declarations_follow_installed_apps():
    assert PROBE.items() == []
    with scratch_app():
        assert PROBE.by_app() == {"scratchapp": ["scratch item"]}
        assert PROBE.items() == ["scratch item"]
    assert PROBE.items() == []


def test_keyed_merges_every_apps_dict():
    assert keyed("registries_probe", "KEYS") == {}
    with scratch_app():
        assert keyed("registries_probe", "KEYS") == {"scratch.key": "scratch value"}
    assert "case.accept" in keyed("audit", "AUDIT_ACTIONS")
