from django.urls import path

from . import api, views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/book/", views.book, name="book"),
    path("rounds/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("rounds/<int:pk>/schedule.csv", views.schedule_csv, name="schedule-csv"),
    path("rounds/<int:pk>/assign/", views.assign, name="assign"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/calendar.ics", views.booking_ics, name="booking-ics"),
    path("bookings/<int:pk>/move/", views.staff_move, name="staff-move"),
    path("bookings/<int:pk>/staff-cancel/", views.staff_cancel, name="staff-cancel"),
    path("help/new/", views.help_create, name="help-create"),
    path("help/<int:pk>/", views.help_detail, name="help"),
    path("help/roles/<int:pk>/signup/", views.help_signup, name="help-signup"),
    path("help/signups/<int:pk>/withdraw/", views.help_withdraw, name="help-withdraw"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/new/", views.agenda_create, name="agenda-create"),
    path("agenda/link/", views.agenda_token, name="agenda-token"),
    path("agenda/link/revoke/", views.agenda_token_revoke, name="agenda-token-revoke"),
    path("agenda/feed/<str:token>.ics", views.agenda_feed, name="agenda-feed"),
]

api_urlpatterns = [
    path("meetings/rounds/", api.RoundList.as_view(), name="api-meetings-rounds"),
    path("meetings/rounds/new/", api.RoundCreate.as_view(), name="api-meetings-round-create"),
    path(
        "meetings/rounds/<int:pk>/assign/",
        api.AssignBooking.as_view(),
        name="api-meetings-assign",
    ),
    path(
        "meetings/bookings/<int:pk>/move/",
        api.StaffMove.as_view(),
        name="api-meetings-staff-move",
    ),
    path(
        "meetings/bookings/<int:pk>/staff-cancel/",
        api.StaffCancel.as_view(),
        name="api-meetings-staff-cancel",
    ),
    path("meetings/help/new/", api.HelpRequestCreate.as_view(), name="api-meetings-help-create"),
    path("meetings/agenda/new/", api.AgendaItemCreate.as_view(), name="api-meetings-agenda-create"),
    path("meetings/rounds/<int:pk>/family/", api.FamilyRound.as_view(), name="api-meetings-family"),
    path(
        "meetings/rounds/<int:pk>/bookings/",
        api.BookingCreate.as_view(),
        name="api-meetings-book",
    ),
    path(
        "meetings/rounds/<int:pk>/schedule/",
        api.RoundSchedule.as_view(),
        name="api-meetings-schedule",
    ),
    path("meetings/bookings/<int:pk>/", api.BookingDetail.as_view(), name="api-meetings-booking"),
    path("meetings/help/", api.HelpRequestList.as_view(), name="api-meetings-help-list"),
    path("meetings/help/<int:pk>/", api.HelpRequestDetail.as_view(), name="api-meetings-help"),
    path(
        "meetings/help/roles/<int:pk>/signups/",
        api.HelpSignupCreate.as_view(),
        name="api-meetings-help-signup",
    ),
    path(
        "meetings/help/signups/<int:pk>/",
        api.HelpSignupDetail.as_view(),
        name="api-meetings-help-withdraw",
    ),
    path("meetings/agenda/", api.AgendaList.as_view(), name="api-meetings-agenda"),
]
