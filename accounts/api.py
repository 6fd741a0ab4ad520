from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .backends import lockout_message


class TokenView(ObtainAuthToken):
    """DRF's token login, answering 429 while the account+address is locked out.

    The lockout backend flags the DRF request it was given; Axes' middleware only sees the
    Django request underneath, so the flag is read here.
    """

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
            raise
