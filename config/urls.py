from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from absences.urls import api_urlpatterns as absences_api
from accounts.urls import api_urlpatterns as accounts_api
from groups.urls import api_urlpatterns as groups_api
from media_sharing.urls import api_urlpatterns as media_api
from meetings.urls import api_urlpatterns as meetings_api
from messaging.kindgesprek.urls import api_urlpatterns as kindgesprek_api
from messaging.urls import api_urlpatterns as messaging_api

admin.site.site_header = _("Schoolbrug administration")
admin.site.site_title = _("Schoolbrug")
admin.site.index_title = _("School administration")

api_v1 = (
    accounts_api
    + groups_api
    + media_api
    + messaging_api
    + kindgesprek_api
    + absences_api
    + meetings_api
)

urlpatterns = [
    path("", include("groups.urls")),
    path("accounts/", include("accounts.urls")),
    path("invitations/", include("invitations.urls")),
    path("privacy/", include("privacy.urls")),
    path("kindgesprek/", include("messaging.kindgesprek.urls")),
    path("media/", include("media_sharing.urls")),
    path("absences/", include("absences.urls")),
    path("meetings/", include("meetings.urls")),
    path("messages/", include("messaging.urls")),
    path("communication/", include("messaging.digest.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The docs are a page for people: anonymous visitors are sent to the login form.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
