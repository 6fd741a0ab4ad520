import pytest

from privacy import services
from privacy.models import ConsentPurpose


@pytest.fixture
def purposes(personas):
    """The default purposes of both persona schools, by code (Alpha) and `other` (Beta)."""
    services.consent_purposes_ensure(personas.school)
    services.consent_purposes_ensure(personas.other_school)
    return {p.code: p for p in ConsentPurpose.objects.filter(school=personas.school)}


@pytest.fixture
def decide():
    """A guardian's own decision through the service."""

    def _decide(guardian, child, purpose, decision):
        return services.consent_record(
            actor=guardian, child=child, purpose=purpose, decision=decision
        )

    return _decide


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files written by these tests land in a temporary folder, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
