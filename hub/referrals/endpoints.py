"""The SSRF guard for partner webhook URLs (SPEC section 5).

A webhook URL is where the hub POSTs personal data, so it must be https and must not point
into the hub's own network (loopback, private, link-local, …) unless the deployment allows
it explicitly (tests, the demo). The check runs at registration and again at every
delivery, since DNS can change in between.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL = 2000


class EndpointRefused(ValueError):
    """The URL may not be used as a webhook endpoint; the message is safe to show."""


def address_allowed(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False
    if allow_private:
        return True
    return ip.is_global


def check_url_form(url: str, allow_private: bool) -> tuple[str, int]:
    """Scheme, host and port of a well-formed URL; raises EndpointRefused otherwise."""
    if len(url) > MAX_URL:
        raise EndpointRefused(f"the webhook URL is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise EndpointRefused("the webhook URL is not a valid URL") from None
    allowed = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed:
        raise EndpointRefused("the webhook URL must use https" if parts.scheme in {"http", "https"}
                              else "the webhook URL must be an http(s) URL")
    if not parts.hostname:
        raise EndpointRefused("the webhook URL has no host")
    if parts.username or parts.password:
        raise EndpointRefused("the webhook URL must not carry credentials")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def check_endpoint(url: str, allow_private: bool) -> None:
    """Refuse a URL that is malformed or resolves to an address the hub must not call."""
    host, port = check_url_form(url, allow_private)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise EndpointRefused(f"the webhook host '{host}' does not resolve") from None
    for info in infos:
        if not address_allowed(str(info[4][0]), allow_private):
            raise EndpointRefused(f"the webhook host '{host}' resolves to a loopback, private or reserved address")
