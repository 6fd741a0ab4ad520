from django.shortcuts import render

from . import selectors


def home(request):
    overview = selectors.user_overview(request.user)
    return render(request, "groups/home.html", {"overview": overview})
