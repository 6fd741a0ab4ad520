import re

import pytest
from django.core import mail

BASE_URL = "http://testserver/"


def last_link():
    """The one-time link from the newest e-mail, as a path for the test client."""
    match = re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Create an invitation through the service and deliver its e-mail (after commit)."""
    from invitations import services

    def _invite(actor, email, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                actor=actor, email=email, base_url=BASE_URL, **kwargs
            )
        return invitation, last_link()

    return _invite
