from django.urls import path

from . import api, views

app_name = "absences"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("new/", views.report_new, name="report-new"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="report-withdraw"),
    path("today/", views.today_panel, name="today-panel"),
    path("groups/<int:group_id>/week/", views.group_week, name="group-week"),
    path("schools/<int:school_id>/day/", views.school_day, name="school-day"),
    path("schools/<int:school_id>/day.csv", views.school_day_csv, name="school-day-csv"),
    path("schools/<int:school_id>/phone/", views.phone_report, name="phone-report"),
]

api_urlpatterns = [
    path("absences/", api.AbsenceList.as_view(), name="api-absence-list"),
    path("absences/<int:pk>/", api.AbsenceDetail.as_view(), name="api-absence-detail"),
    path("absences/<int:pk>/withdraw/", api.AbsenceWithdraw.as_view(), name="api-absence-withdraw"),
]
