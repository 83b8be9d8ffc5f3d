"""Preparing the demo: a fresh database, migrations, Bekasi demo data, ready tokens."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from auth.roles import Role
from hub.container import Hub
from hub.db.engine import is_sqlite
from hub.db.migrate import upgrade_async
from hub.demo.actors import demo_token_specs
from hub.demo.partners import AGENCIES, refer_some, register_agencies
from hub.demo.portal import add_portal_agency
from hub.demo.receiver import DemoAgency, DemoPartners
from hub.demo.seed import seed_demo
from hub.demo.state import DEMO_TOKEN_LIFETIME
from hub.settings import Settings



async def prepare_demo(settings: Settings, fresh: bool = True,
                       partners: DemoPartners | None = None) -> list[tuple[str, str]]:
    """Migrate and load the demo; returns (label, token) per role."""
    if fresh:
        _remove_demo_database(settings)
    await upgrade_async(settings.database_url)
    hub = await Hub.start(settings)
    try:
        cases = await seed_demo(hub.cases, hub.areas)
        if partners is not None:  # the agencies, their receiver, and a first batch of referrals
            issued = await register_agencies(hub, {a.slug: partners.url_for(a.slug) for a in AGENCIES})
            for slug, c in issued.items():
                assert c.client is not None
                partners.add(DemoAgency(slug, c.partner.name, c.secret, c.client.client_id, c.client.client_secret))
            await refer_some(hub, cases)
            await add_portal_agency(hub)  # a Dinas without a system: its officer uses the console's inbox
        tokens = []
        for role, area in demo_token_specs():
            label = f"{role.value}" + (f" (area {area})" if area else "")
            tokens.append((label, hub.issuer.issue(subject=f"demo-{role.value.lower()}", role=role, area=area,
                                                   lifetime=DEMO_TOKEN_LIFETIME)))
        return tokens
    finally:
        await hub.close()


def _remove_demo_database(settings: Settings) -> None:
    """Delete the demo's SQLite file, and only a file inside the demo's own data dir."""
    path = make_url(settings.database_url).database if is_sqlite(settings.database_url) else None
    if not path or not Path(path).resolve().is_relative_to(Path(settings.data_dir).resolve()):
        raise ValueError("a fresh demo only replaces an SQLite database inside its own data dir")
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


__all__ = ["Role", "prepare_demo"]
