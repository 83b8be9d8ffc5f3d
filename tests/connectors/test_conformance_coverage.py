"""Every connector registered under `slrt_hub.connectors` has a conformance test here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from connectors.sdk import discover
from connectors.testing import ConnectorConformance


def conformance_classes() -> list[type[ConnectorConformance]]:
    found: list[type[ConnectorConformance]] = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if "ConnectorConformance)" not in path.read_text():
            continue
        spec = importlib.util.spec_from_file_location(f"_coverage_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, ConnectorConformance)
            and value is not ConnectorConformance
        ]
    return found


def test_every_registered_connector_has_a_conformance_test() -> None:
    tested = {cls.connector for cls in conformance_classes()}
    missing = [name for name, cls in discover().items() if cls not in tested]
    assert missing == [], f"connectors without a ConnectorConformance test: {missing}"
