"""The built-in issuer's signing keys, kept as private JWKs in the data directory.

The newest key signs; every key stays in the published JWKS so tokens signed before a
rotation keep verifying until they expire. Keys are re-read when the folder changes, so
a rotation by ``slrt-hub keys rotate`` reaches a running server without a restart.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey


class KeyStore:
    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._stamp: int = -1
        self._keys: list[RSAKey] = []
        self._public = KeySet([])

    @property
    def directory(self) -> Path:
        return self._dir

    def ensure(self) -> None:
        """Create the first key on first start."""
        if not self._files():
            self.rotate()

    def rotate(self) -> str:
        """Add a new signing key and return its kid."""
        self._dir.mkdir(parents=True, exist_ok=True)
        # Nanoseconds in the kid keep "newest sorts last" true for rotations within one second.
        kid = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}-" + os.urandom(3).hex()
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True)
        path = self._dir / f"{kid}.json"
        # Written private to the owner only: this is the issuer's signing secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(key.as_dict(private=True), fh)
        return kid

    def _files(self) -> list[Path]:
        return sorted(self._dir.glob("*.json")) if self._dir.is_dir() else []

    def _load(self) -> list[RSAKey]:
        # One stat per call; keys are parsed again only when the folder changed (a rotation).
        stamp = self._dir.stat().st_mtime_ns if self._dir.is_dir() else 0
        if stamp != self._stamp:
            self._keys = [RSAKey.import_key(json.loads(p.read_text())) for p in self._files()]
            self._public = KeySet([RSAKey.import_key(k.as_dict(private=False)) for k in self._keys])
            self._stamp = stamp
        return self._keys

    def signing_key(self) -> RSAKey:
        keys = self._load()
        if not keys:
            raise RuntimeError(f"no signing key in {self._dir}; run `slrt-hub keys rotate`")
        return keys[-1]  # kids sort by creation time

    def public_keyset(self) -> KeySet:
        self._load()
        return self._public

    def jwks(self) -> dict[str, object]:
        return {"keys": [k.as_dict(private=False) for k in self._load()]}
