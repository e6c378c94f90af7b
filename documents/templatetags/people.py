from django import template

from documents.selectors import reviewers

register = template.Library()


@register.inclusion_tag("documents/_assign.html", takes_context=True)
def assign_form(context, action: str, current=None, label: str = ""):
    """The supervisor's "Assign to" menu (and, for everyone else, who the document is assigned to)."""
    request = context["request"]
    people = list(reviewers()) if context.get("user_is_supervisor") else []
    if current is not None and current not in people and people:
        people.append(current)  # assigned before losing their role: still shown as chosen
    return {
        "action": action,
        "current": current,
        "label": label,
        "reviewers": people,
        "user_is_supervisor": context.get("user_is_supervisor"),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.simple_tag
def reviewer_names() -> list[str]:
    """Usernames for the queue's "Assigned to" filter."""
    return list(reviewers().values_list("username", flat=True))
