from .roles import roles_of


def roles(request) -> dict:
    """What the navigation needs to know about the person: computed once per request."""
    return {"roles": roles_of(request)}
