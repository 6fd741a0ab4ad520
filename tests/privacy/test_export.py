"""A person's data export: built in the background, single-use link that expires, and it
holds their own data only."""

import datetime
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from privacy import services
from privacy.models import DataExport


@pytest.fixture
def request_export(login, django_capture_on_commit_callbacks):
    """Ask for an export through the real page; returns (client, token) from the e-mail."""

    def _request(user):
        client = login(user)
        # Runs the task after "commit", and the e-mail the task queues after its own commit.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("privacy-export"), follow=True)
        assert "U krijgt een e-mail met een downloadlink." in response.content.decode()
        link = re.search(r"http://testserver(/privacy/export/[^/\s]+/)", mail.outbox[-1].body)
        return client, link.group(1)

    return _request


def _zip(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive.read("index.html").decode()


def test_export_holds_own_data_and_nothing_of_others(personas, purposes, decide, request_export):
    decide(personas.separated_parent_a, personas.child_a, purposes["group"], "refused")
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    decide(personas.multi_school_parent, personas.child_a2, purposes["group"], "granted")
    client, url = request_export(personas.parent_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data, html = _zip(response)

    assert data["profile"]["email"] == personas.parent_a.email
    assert [c["first_name"] for c in data["children"]] == ["Daan"]
    history = data["consent_history"]
    assert [(e["child"], e["decision"], e["decided_by"]) for e in history] == [
        (personas.child_a.full_name, "refused", "Tom Separated"),
        (personas.child_a.full_name, "granted", "u"),
    ]
    everything = json.dumps(data) + html
    for other in (personas.child_a2, personas.child_b, personas.child_x):
        assert other.first_name not in everything
    for other in (personas.separated_parent_a, personas.multi_school_parent, personas.parent_b):
        assert other.email not in everything
    assert "Uw gegevens in Schoolbrug" in html
    assert personas.parent_a.email in html


def test_staff_export_holds_their_roles(personas, request_export):
    client, url = request_export(personas.teacher_a)
    data, _html = _zip(client.get(url))
    assert data["staff_memberships"] == [
        {
            "school": "Alpha school",
            "role": "teacher",
            "groups": ["Groep 5a"],
            "workdays": [1, 2, 3, 4, 5],
        }
    ]
    assert data["children"] == []


def test_link_works_once_and_the_file_is_removed(
    personas, request_export, media_root, django_capture_on_commit_callbacks
):
    client, url = request_export(personas.parent_a)
    export = DataExport.objects.get()
    path = media_root / export.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 404
    export.refresh_from_db()
    assert export.status == "downloaded"
    assert not path.exists()


def test_link_expires(personas, request_export):
    client, url = request_export(personas.parent_a)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)):
        assert client.get(url).status_code == 404


def test_link_is_useless_to_someone_else(personas, request_export, login):
    _client, url = request_export(personas.parent_a)
    assert login(personas.parent_b).get(url).status_code == 404
    assert DataExport.objects.get().status == "ready"


def test_wrong_token_is_404(personas, login):
    url = reverse("privacy-export-download", args=["not-a-token"])
    assert login(personas.parent_a).get(url).status_code == 404


def test_anonymous_cannot_request_or_download(client, personas):
    assert client.post(reverse("privacy-export")).status_code == 302
    assert client.get(reverse("privacy-export-download", args=["x"])).status_code == 302
    assert not DataExport.objects.exists()


def test_request_is_post_only(personas, login):
    assert login(personas.parent_a).get(reverse("privacy-export")).status_code == 405


def test_asking_twice_while_pending_starts_one_export(personas):
    first = services.data_export_request(actor=personas.parent_a, download_base_url="x")
    second = services.data_export_request(actor=personas.parent_a, download_base_url="x")
    assert first == second
    assert DataExport.objects.count() == 1


def test_build_is_idempotent(personas, django_capture_on_commit_callbacks):
    export = DataExport.objects.create(user=personas.parent_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.data_export_build(export_id=export.pk, download_base_url="http://x/e/")
        services.data_export_build(export_id=export.pk, download_base_url="http://x/e/")
    assert len(mail.outbox) == 1
    assert DataExport.objects.get().status == "ready"


def test_daily_job_expires_old_exports(personas, request_export, media_root):
    request_export(personas.parent_a)
    export = DataExport.objects.get()
    path = media_root / export.file.name
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=6)):
        assert services.data_exports_expire() == 0
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)):
        from privacy.tasks import privacy_daily

        assert privacy_daily.delay().get()["data_exports"] == 1
    export.refresh_from_db()
    assert export.status == "expired"
    assert not path.exists()


def test_index_shows_the_last_request(personas, login):
    services.data_export_request(actor=personas.parent_a, download_base_url="x")
    content = login(personas.parent_a).get(reverse("privacy-index")).content.decode()
    assert "Wordt voorbereid" in content
