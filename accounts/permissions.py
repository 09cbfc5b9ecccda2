"""Who may reach office pages. Views and templates ask here, nowhere else."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import roles_of


def is_authority_staff(request) -> bool:
    return roles_of(request).is_authority_staff


def staff_required(view):
    """Anonymous people are sent to log in; signed-in people who are not office staff get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_authority_staff(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
