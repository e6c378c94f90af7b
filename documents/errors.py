"""The one base of every refusal the portal explains: a stable `code` for programs, a `message` for people.

Messages are translated where they are raised, into the language of the request being answered. Views and API
views answer `error.as_dict()` (`{"code": …, "message": …}`) with the status that fits.
"""

from django.http import JsonResponse
from django.shortcuts import render


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
