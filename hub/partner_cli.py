"""``slrt-hub partner add|list|enable|disable``: partners from the command line (as ADMIN)."""

from __future__ import annotations

import asyncio

import click

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.cases.errors import Rejected
from hub.container import Hub
from hub.referrals.commands import ProgrammeData, RegisterPartner
from hub.referrals.partners import PartnerCredentials
from hub.settings import Settings
from hub.vocabulary import ProgrammeLevel, Sector

ADMIN = Actor("cli-admin", Role.ADMIN, DEFAULT_SCOPES[Role.ADMIN])


def _programme(value: str) -> ProgrammeData:
    try:
        code, sector, level, name = value.split(":", 3)
        return ProgrammeData(code, name, Sector(sector.upper()), ProgrammeLevel(level.upper()))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not CODE:SECTOR:LEVEL:NAME (e.g. PBI_JK:HEALTH:NATIONAL:PBI JK)",
                                 param_hint="--programme") from None


async def _with_hub(work):  # type: ignore[no-untyped-def]
    hub = await Hub.start(Settings())
    try:
        return await work(hub)
    finally:
        await hub.close()


@click.group(help="Partners: agency systems that receive referrals.")
def partner() -> None:
    pass


@partner.command("add", help="Register a partner; prints its signing secret and OAuth client (shown only once).")
@click.option("--name", required=True)
@click.option("--sector", "sectors", multiple=True, required=True, type=click.Choice([s.value for s in Sector]))
@click.option("--webhook-url", default=None,
              help="https URL the hub POSTs referrals to; leave out for a portal-only partner (console inbox)")
@click.option("--programme", "programmes", multiple=True, required=True, help="CODE:SECTOR:LEVEL:NAME (repeatable)")
def add(name: str, sectors: tuple[str, ...], webhook_url: str | None, programmes: tuple[str, ...]) -> None:
    cmd = RegisterPartner(name, tuple(Sector(s) for s in sectors), webhook_url, tuple(_programme(p) for p in programmes))
    result = asyncio.run(_with_hub(lambda hub: hub.partners.register(ADMIN, cmd)))
    if isinstance(result, Rejected):
        raise click.UsageError("; ".join(f"{e.code.value}: {e.message}" for e in result.errors))
    assert isinstance(result, PartnerCredentials)
    click.echo(f"partner_id:     {result.partner.id}\nsigning_secret: {result.secret}")
    if result.client:
        click.echo(f"client_id:      {result.client.client_id}\nclient_secret:  {result.client.client_secret}")


@partner.command("list", help="List partners and their programmes (never their secrets).")
def list_partners() -> None:
    async def work(hub: Hub) -> None:
        programmes = await hub.referral_reader.programmes(ADMIN)
        for p in await hub.referral_reader.partners():
            codes = ",".join(x.code for x in programmes if x.partner_id == p.id)
            state = "active" if p.active else f"disabled ({p.disabled_reason})"
            click.echo(f"{p.id}\t{state}\t{p.name}\t{p.webhook_url or 'portal-only'}\t{codes}")

    asyncio.run(_with_hub(work))


@partner.command("disable", help="Switch a partner off: no more webhooks, its client gets no token, and the tokens "
                 "it holds are refused by every running hub within SLRT_REVOCATION_CHECK_SECONDS.")
@click.argument("partner_id")
@click.option("--reason", required=True, help="why, kept as the partner's disabledReason")
def disable(partner_id: str, reason: str) -> None:
    result = asyncio.run(_with_hub(lambda hub: hub.partners.disable(ADMIN, partner_id, reason)))
    if isinstance(result, Rejected):
        raise click.ClickException(result.errors[0].message)
    click.echo(f"disabled {partner_id}")


@partner.command("enable", help="Re-enable a partner: an endpoint disabled after failures or a 410, or a partner "
                 "switched off by `partner disable`.")
@click.argument("partner_id")
def enable(partner_id: str) -> None:
    result = asyncio.run(_with_hub(lambda hub: hub.partners.enable(ADMIN, partner_id)))
    if isinstance(result, Rejected):
        raise click.ClickException(result.errors[0].message)
    click.echo(f"enabled {partner_id}")
