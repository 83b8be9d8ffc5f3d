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


# IPv6 forms that are an IPv4 address in another notation: judged by that IPv4 address alone.
_TRANSLATED = (ipaddress.IPv6Network("::ffff:0:0/96"),     # IPv4-mapped
               ipaddress.IPv6Network("::ffff:0:0:0/96"),   # IPv4-translated (SIIT)
               ipaddress.IPv6Network("64:ff9b::/96"))      # NAT64, well-known prefix (RFC 6052)
# Refused whatever the deployment allows: a deprecated form with no use but hiding an
# address, and translators inside the operator's own network (where the IPv4 part sits
# depends on a prefix length only the operator knows).
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")          # ::a.b.c.d (deprecated, RFC 4291)
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")     # NAT64, local-use prefix (RFC 8215)
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")
_ISATAP_IDS = (0x00005EFE, 0x02005EFE)  # interface identifier ::0:5efe:a.b.c.d or ::200:5efe:a.b.c.d
_IPV4_LOW = 0xFFFFFFFF

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: str, allow_private: bool) -> bool:
    """May the hub connect to this address? Every IPv4 address an IPv6 address carries is
    judged too (6to4, Teredo, ISATAP, NAT64, mapped): a tunnel or translator would deliver
    the request to it, so ``2002:7f00:1::`` is as forbidden as ``127.0.0.1``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if (ip in _IPV4_COMPATIBLE and int(ip) > 1) or ip in _NAT64_LOCAL:  # :: and ::1 are judged below
            return False
        if any(ip in net for net in _TRANSLATED):
            return _judge(ipaddress.IPv4Address(int(ip) & _IPV4_LOW), allow_private)
        return _judge(ip, allow_private) and all(_judge(v4, allow_private) for v4 in _carried(ip))
    return _judge(ip, allow_private)


def _carried(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a tunnelled IPv6 address reaches through its tunnel."""
    value = int(ip)
    if ip in _SIX_TO_FOUR:
        return [ipaddress.IPv4Address((value >> 80) & _IPV4_LOW)]
    if ip in _TEREDO:
        # server in bits 32-63; the client's address is stored inverted in the last 32 bits
        return [ipaddress.IPv4Address((value >> 64) & _IPV4_LOW), ipaddress.IPv4Address(~value & _IPV4_LOW)]
    if ((value >> 32) & _IPV4_LOW) in _ISATAP_IDS:
        return [ipaddress.IPv4Address(value & _IPV4_LOW)]
    return []


def _judge(ip: Address, allow_private: bool) -> bool:
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
