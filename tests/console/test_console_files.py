"""The console ships as plain files with no build step: every module it imports exists, the
vendored libraries are the recorded npm files with their licences, and the JavaScript shipped
stays small (the figure is printed; the budget guards against shipping a framework by mistake)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

from hub.console.site import STATIC

IMPORT = re.compile(r"""(?:^|\s)(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']""", re.M)


def test_vendored_files_are_the_recorded_npm_files_with_their_licences():
    manifest = json.loads((STATIC / "vendor" / "VENDORED.json").read_text())
    for entry in manifest:
        path = STATIC / "vendor" / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["file"]
        assert any(p.name.startswith("LICENSE") for p in path.parent.iterdir()), entry["file"]


def test_every_import_of_the_app_resolves_to_a_shipped_file():
    index = (STATIC / "index.html").read_text()
    imports = json.loads(re.search(r'<script type="importmap">(.*?)</script>', index, re.S).group(1))["imports"]
    for target in imports.values():
        assert (STATIC / target).is_file(), target
    for module in (STATIC / "app").rglob("*.js"):
        for match in IMPORT.finditer(module.read_text()):
            spec = match.group(1) or match.group(2)
            if spec in imports:
                continue
            assert spec.startswith("."), f"{module.name} imports {spec!r}, which the import map does not name"
            assert (module.parent / spec).resolve().is_file(), f"{module.name}: {spec}"


def test_the_javascript_shipped_is_measured(capsys):
    # What a signed-in user downloads: the app and the ES-module libraries (oidc-client-ts only
    # with an external identity provider, counted apart).
    app = sorted((STATIC / "app").rglob("*.js"))
    libraries = [STATIC / "vendor" / p for p in ("preact/preact.module.js", "preact/hooks.module.js",
                                                  "htm/htm.module.js", "graphql-ws/client.js",
                                                  "graphql-ws/common-CGW11Fyb.js")]
    oidc = STATIC / "vendor" / "oidc-client-ts" / "oidc-client-ts.min.js"

    def size(paths: list) -> tuple[int, int]:
        raw = sum(p.stat().st_size for p in paths)
        return raw, sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths)

    (app_raw, app_gz), (lib_raw, lib_gz), (oidc_raw, oidc_gz) = size(app), size(libraries), size([oidc])
    with capsys.disabled():
        print(f"\nconsole JavaScript shipped (gzip -9 per file): app {app_gz / 1024:.1f} KiB "
              f"({app_raw / 1024:.1f} KiB raw), libraries {lib_gz / 1024:.1f} KiB ({lib_raw / 1024:.1f} KiB raw), "
              f"oidc-client-ts when an identity provider is set {oidc_gz / 1024:.1f} KiB")
    assert app_gz + lib_gz < 150 * 1024
