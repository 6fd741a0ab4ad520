"""Every model in Django admin is either scoped to a school or closed to school staff.

A school's administration works in the admin; a model registered without SchoolScopedAdmin
would show them every school's rows. This walks the whole registry through the real URLs.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from groups.admin import SchoolScopedAdmin
from mailings import services as mailings
from mailings.models import MailDelivery, MailRun

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _a in REGISTERED]
)
def test_every_admin_is_school_scoped_or_closed(personas, login, model, model_admin):
    client = login(personas.admin)
    response = client.get(_changelist(model))
    if isinstance(model_admin, SchoolScopedAdmin):
        assert response.status_code == 200
    else:
        # Not scoped: then a school's administration must not get in at all.
        assert response.status_code in (302, 403)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED[:1])
def test_wrong_role_gets_no_admin_at_all(personas, login, model, model_admin):
    response = login(personas.teacher_a).get(_changelist(model))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_mail_runs_are_scoped_per_school(personas, login):
    run = mailings.mail_run_open(
        kind="notice",
        period_key="scoping",
        recipient_ids=[personas.parent_a.pk],
        school=personas.school,
        payload={"subject": {"nl": "x"}, "body": {"nl": "y"}},
    )
    delivery = run.deliveries.get()
    own = login(personas.admin)
    assert own.get(reverse("admin:mailings_mailrun_change", args=[run.pk])).status_code == 200
    other = login(personas.other_admin)
    assert other.get(reverse("admin:mailings_mailrun_change", args=[run.pk])).status_code == 302
    listing = other.get(reverse("admin:mailings_maildelivery_changelist")).content.decode()
    assert personas.parent_a.email not in listing
    assert MailRun.objects.count() == 1
    assert MailDelivery.objects.filter(pk=delivery.pk).exists()
