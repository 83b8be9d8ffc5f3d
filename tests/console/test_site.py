"""The hub serves the console: its files with a confining CSP, a public config.json, and the
demo's "masuk sebagai" sign-in only inside a debug, development hub that issues its own tokens."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import httpx
import pytest

from auth.roles import Role
from hub.asgi import create_app
from hub.console.demo_sign_in import ACCOUNTS, DemoSignInRefused
from hub.console.site import STATIC
from hub.settings import Settings
from tests.referrals.test_portal_partners import register_portal
from hub.demo.portal import PORTAL_AGENCY


async def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test")


async def test_the_console_page_and_its_files_are_served_confined(client):
    page = await client.get("/console/")
    assert page.status_code == 200 and "SLRT Konsol" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # The one inline script (the import map) is allowed by its hash, nothing else inline.
    [inline] = re.findall(r'<script type="importmap">(.*?)</script>', page.text, re.S)
    assert base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() in csp
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", page.text)) == 1
    module = await client.get("/console/app/main.js")
    assert module.status_code == 200 and "javascript" in module.headers["content-type"]
    assert module.headers["content-security-policy"] == csp and module.headers["x-frame-options"] == "DENY"
    assert (await client.get("/console", follow_redirects=False)).headers["location"] == "/console/"
    assert (await client.get("/console/../hub/settings.py")).status_code == 404


async def test_config_tells_how_to_sign_in_and_carries_no_secret(client, settings):
    config = (await client.get("/console/config.json")).json()
    assert config == {"signIn": "none", "issuer": None, "clientId": "slrt-web", "scope": "openid",
                      "graphql": "/graphql", "debug": False, "pasteToken": False}


async def test_with_an_identity_provider_the_console_uses_oidc_and_may_reach_it(hub, settings):
    external = settings.model_copy(update={"oauth_jwks_url": "https://idp.example/realms/slrt/certs",
                                           "oauth_issuer": "https://idp.example/realms/slrt"})
    async with await _client(create_app(external, hub)) as c:
        page = await c.get("/console/")
        config = (await c.get("/console/config.json")).json()
    assert config["signIn"] == "oidc" and config["issuer"] == "https://idp.example/realms/slrt"
    assert "connect-src 'self' https://idp.example;" in page.headers["content-security-policy"]


async def test_the_demo_sign_in_does_not_exist_outside_the_demo(client, hub, settings):
    assert (await client.post("/console/demo/token", json={"account": "admin"})).status_code in (404, 405)
    assert (await client.get("/console/demo/accounts")).status_code == 404
    for unsafe in ({"debug": False}, {"debug": True, "oauth_jwks_url": "https://idp.example/certs"}):
        with pytest.raises(DemoSignInRefused):
            create_app(settings.model_copy(update=unsafe), hub, console_demo=True)


async def test_the_demo_sign_in_hands_out_tokens_for_the_demo_staff_only(hub, settings, as_role):
    await register_portal(as_role, name=PORTAL_AGENCY.name, codes=("MODAL_USAHA",))
    demo = settings.model_copy(update={"debug": True})
    async with await _client(create_app(demo, hub, console_demo=True)) as c:
        accounts = (await c.get("/console/demo/accounts")).json()
        assert [a["id"] for a in accounts] == [a.id for a in ACCOUNTS]
        refused = await c.post("/console/demo/token", json={"account": "root"})
        assert refused.status_code == 400
        form = await c.post("/console/demo/token", data={"account": "admin"})
        assert form.status_code == 415  # a cross-site form post cannot get one
        issued = (await c.post("/console/demo/token", json={"account": "dinas-koperasi"})).json()
        me = await c.post("/graphql", json={"query": "{ viewer { role scopes partner { name } } }"},
                          headers={"authorization": f"Bearer {issued['accessToken']}"})
    assert me.json()["data"]["viewer"] == {"role": "PARTNER", "scopes": ["referral:update"],
                                           "partner": {"name": PORTAL_AGENCY.name}}


def test_every_console_file_is_package_data():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["hub"]
    assert "console/static/**/*" in patterns
    assert (STATIC / "index.html").is_file() and (STATIC / "app" / "main.js").is_file()


__all__ = ["Role", "Settings"]
