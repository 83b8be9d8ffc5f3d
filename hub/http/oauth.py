"""The built-in authorization server: ``POST /oauth/token`` (client_credentials) and its metadata.

Built on authlib's RFC 6749 server classes. authlib has no Starlette integration and is
synchronous, so this module is the adapter: the client is looked up (and its secret
verified) asynchronously first, then authlib runs the grant in a worker thread against
that one prefetched client. Tokens are RFC 9068 JWTs from the hub's ``TokenIssuer`` with
the hub's own lifetime (15 minutes by default), never authlib's 10-day default.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from auth.issuer import TokenIssuer
from auth.roles import Scope
from hub.access.clients import ClientRecord, ClientRegistry

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class _FormRequest(OAuth2Request):
    """authlib's request over an already-read form body (what its Flask adapter does)."""

    def __init__(self, uri: str, headers: Mapping[str, str], form: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=headers)
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _Client(ClientMixin):
    """A client whose secret was already checked by ``ClientRegistry.authenticate``."""

    def __init__(self, record: ClientRecord, secret_ok: bool) -> None:
        self.record = record
        self._secret_ok = secret_ok

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {s.value for s in self.record.scopes}
        return " ".join(s for s in scope_to_list(scope) or [] if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return self._secret_ok

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class _Grant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        # A client gets at most the scopes it was registered with.
        requested = set(scope_to_list(self.request.payload.scope) or [])
        allowed = {s.value for s in self.request.client.record.scopes}
        if not requested <= allowed:
            raise InvalidScopeError()


class _Server(AuthorizationServer):
    def __init__(self, issuer: TokenIssuer, client: _Client | None) -> None:
        super().__init__(scopes_supported=[s.value for s in Scope])
        self._client = client
        self._issuer = issuer
        self.register_grant(_Grant)
        self.register_token_generator("client_credentials", self._token)

    def query_client(self, client_id: str) -> _Client | None:
        return self._client if self._client and self._client.get_client_id() == client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Nothing to save: the token is a self-contained signed JWT."""

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        return JSONResponse(body, status_code=status, headers=dict(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def _token(self, grant_type: str, client: _Client, user: Any = None, scope: str | None = None,
               expires_in: int | None = None, include_refresh_token: bool = False) -> dict[str, Any]:
        record = client.record
        requested = set(scope_to_list(scope) or [])
        granted = frozenset(s for s in record.scopes if not requested or s.value in requested)
        token = self._issuer.issue(subject=record.client_id, role=record.role, area=record.area, scopes=granted,
                                   partner_id=record.partner_id, client_id=record.client_id)
        return {"access_token": token, "token_type": "Bearer", "expires_in": self._issuer.lifetime,
                "scope": " ".join(sorted(s.value for s in granted))}


def _credentials(headers: dict[str, str], form: dict[str, str]) -> tuple[str, str] | None:
    """client_secret_basic (RFC 6749 2.3.1: form-urlencoded id and secret) or client_secret_post."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return unquote(client_id), unquote(secret)
    if "client_id" in form and "client_secret" in form:
        return form["client_id"], form["client_secret"]
    return None


class TokenEndpoint:
    def __init__(self, clients: ClientRegistry, issuer: TokenIssuer) -> None:
        self._clients = clients
        self._issuer = issuer

    async def __call__(self, request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return JSONResponse({"error": "invalid_request",
                                 "error_description": "send application/x-www-form-urlencoded"}, status_code=400)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        headers = {k.lower(): v for k, v in request.headers.items()}
        client = None
        if (creds := _credentials(headers, form)) is not None:
            record = await self._clients.authenticate(*creds)
            if record is not None:
                client = _Client(record, secret_ok=True)
        # authlib refuses plain-http URIs; TLS ends at the proxy in front of the hub, and the
        # URI is only used for error pages here, so the scheme it sees is normalised.
        oauth_request = _FormRequest(str(request.url).replace("http://", "https://", 1), request.headers, form)
        server = _Server(self._issuer, client)
        response: Response = await asyncio.to_thread(server.create_token_response, oauth_request)
        response.headers["cache-control"] = "no-store"
        return response


def metadata(issuer_url: str, public_url: str) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    base = public_url.rstrip("/")
    return {
        "issuer": issuer_url,
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/oauth/jwks.json",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "scopes_supported": [s.value for s in Scope],
        "response_types_supported": ["token"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
    }
