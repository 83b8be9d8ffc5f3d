"""The OAuth client store: hashed secrets, shown once; rotation and revocation take effect."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from auth.roles import DEFAULT_SCOPES, Role, Scope
from hub.access.clients import InvalidClient
from hub.access.models import OAuthClient


async def test_a_secret_is_stored_only_as_a_hash_and_authenticates(hub):
    async with hub.sessions.begin() as session:
        issued = await hub.clients.create(session, name="Dinas Kesehatan", role=Role.PARTNER, partner_id="p-1")
    async with hub.sessions() as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == issued.client_id))
    assert issued.client_secret not in row.secret_hash
    assert row.secret_hash.startswith("scrypt$")
    record = await hub.clients.authenticate(issued.client_id, issued.client_secret)
    assert record is not None
    assert (record.role, record.partner_id, record.scopes) == (Role.PARTNER, "p-1", DEFAULT_SCOPES[Role.PARTNER])
    assert await hub.clients.authenticate(issued.client_id, issued.client_secret + "x") is None
    assert await hub.clients.authenticate("slrt_unknown", issued.client_secret) is None


async def test_a_client_is_made_inside_the_callers_transaction(hub):
    with pytest.raises(RuntimeError):
        async with hub.sessions.begin() as session:
            issued = await hub.clients.create(session, name="svc", role=Role.ADMIN)
            raise RuntimeError("the partner could not be saved")
    assert await hub.clients.get(issued.client_id) is None


async def test_rotation_replaces_the_secret_and_revocation_ends_the_client(hub):
    async with hub.sessions.begin() as session:
        first = await hub.clients.create(session, name="svc", role=Role.AUDITOR,
                                         scopes=frozenset({Scope.AUDIT_READ}))
    async with hub.sessions.begin() as session:
        second = await hub.clients.rotate_secret(session, first.client_id)
    assert second.client_id == first.client_id
    assert await hub.clients.authenticate(first.client_id, first.client_secret) is None
    assert await hub.clients.authenticate(first.client_id, second.client_secret) is not None
    assert await hub.clients.revoke(first.client_id) is True
    assert await hub.clients.revoke(first.client_id) is False
    assert await hub.clients.authenticate(first.client_id, second.client_secret) is None


@pytest.mark.parametrize("kwargs, message", [
    ({"role": Role.PARTNER}, "partner_id"),
    ({"role": Role.FACILITATOR, "area": "3275"}, "area"),
    ({"role": Role.ADMIN, "scopes": frozenset()}, "scope"),
    ({"role": Role.ADMIN, "name": " "}, "name"),
])
async def test_bad_client_input_is_refused_and_nothing_is_written(hub, kwargs, message):
    with pytest.raises(InvalidClient, match=message):
        async with hub.sessions.begin() as session:
            await hub.clients.create(session, **{"name": "svc", **kwargs})
    assert await hub.clients.list() == []


async def test_audit_records_cannot_be_changed_in_the_database(hub, as_role):
    from auth.principal import Actor
    from hub.access.audit import PiiRead, SubjectKind

    actor = Actor(subject="fo-1", role=Role.FRONT_OFFICE, scopes=DEFAULT_SCOPES[Role.FRONT_OFFICE], area="3275")
    await hub.audit.record(actor, [PiiRead(SubjectKind.NIK, "3275014101850001", "query.person")],
                           client_ip="127.0.0.1", request_id="r-1")
    with pytest.raises(Exception, match="append-only"):
        async with hub.engine.begin() as conn:
            await conn.execute(text("UPDATE audit_log SET actor = 'someone-else'"))
    page = await hub.audit.page(10)
    assert [e.actor for e in page.entries] == ["fo-1"]
