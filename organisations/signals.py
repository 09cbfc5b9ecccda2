"""What organisations tell the rest of the portal, without depending on it (the apps that care connect here).

``member_joined`` is sent when a person accepts an invitation to an organisation, inside the acceptance's
transaction, with ``membership`` and ``user``. grants connects to it: joining an organisation that takes part in a
call may put the person's commission seats in conflict (``grants.apps``)."""

from django.dispatch import Signal

member_joined = Signal()
