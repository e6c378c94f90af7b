"""The one base of every refusal the portal explains: a stable `code` for programs, a `message` for people.

Messages are translated where they are raised, into the language of the request being answered. Views and API
views answer `error.as_dict()` (`{"code": …, "message": …}`) with the status that fits.
"""

from django.core.handlers.exception import get_exception_response
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, get_urlconf, resolve


class PortalError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class RefusalMiddleware:
    """A refusal a web view did not answer itself (a query value it cannot read, say) is a 400 that says why:
    JSON `{"code", "message"}` to a script, the bad-request page to a person. Never a 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not isinstance(exc, PortalError):
            return None
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(exc.as_dict(), status=400)
        return render(request, "400.html", {"message": exc.message}, status=400)


class NotFoundPageMiddleware:
    """With DEBUG on (`make run`), a missing page is still the portal's own "Not found" page: Django's debug 404
    lists every URL pattern, which tells a reviewer nothing and a stranger too much. Tracebacks of real errors
    stay. Installed only when DEBUG is on; without it Django answers the same page itself."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info)
        except Resolver404 as missing:
            return self._page(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exc):
        return self._page(request, exc) if isinstance(exc, Http404) else None

    def _page(self, request, exc):
        return get_exception_response(request, get_resolver(get_urlconf()), 404, exc)
