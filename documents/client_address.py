"""The client's address, as login throttling counts it and the audit trail records it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the outermost one of
    them saw (it appended it to X-Forwarded-For; what the client itself put there is not trusted). Anything
    there that is not an address (a port, a name, markup) is not taken: REMOTE_ADDR is."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if settings.TRUSTED_PROXIES and len(hops) >= settings.TRUSTED_PROXIES:
        candidate = hops[-settings.TRUSTED_PROXIES]
        try:
            if "%" not in candidate:  # an IPv6 zone is no one's address on the internet, nor PostgreSQL's inet
                return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
