"""The one base of every refusal the portal explains: a stable `code` for programs, a `message` for people.

Messages are translated where they are raised, into the language of the request being answered. Views and API
views answer `error.as_dict()` (`{"code": …, "message": …}`) with the status that fits.
"""


class PortalError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
