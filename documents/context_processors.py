from documents.roles import is_reviewer, is_supervisor


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"user_is_reviewer": is_reviewer(user), "user_is_supervisor": is_supervisor(user)}
