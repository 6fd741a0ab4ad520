"""API: the same services and selectors as the pages, so the same rules and messages."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .serializers import (
    AgendaItemSerializer,
    BookingRequestSerializer,
    BookingSerializer,
    FamilyPageSerializer,
    HelpRequestDetailSerializer,
    HelpRequestSerializer,
    RoundSerializer,
    ScheduleSlotSerializer,
    SlotTakenSerializer,
)
from .services import help as help_services
from .services import rounds as round_services


def _bad_request(exc):
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class RoundList(generics.ListAPIView):
    """Rounds of parent meetings the person is invited to or manages."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return selectors.visible_rounds(self.request.user).prefetch_related("groups")


class FamilyRound(APIView):
    @extend_schema(
        responses=FamilyPageSerializer,
        summary="The family's view of a round",
        description=(
            "The person's invited children with their booking, the free times of each child's "
            "group and back-to-back suggestions next to a sibling's meeting. Never shows other "
            "families. 404 when the round is not visible to the person."
        ),
    )
    def get(self, request, pk):
        round_ = selectors.access_round(request.user, pk)
        return Response(FamilyPageSerializer(selectors.family_page(request.user, round_)).data)


class BookingCreate(APIView):
    @extend_schema(
        request=BookingRequestSerializer,
        responses={
            201: BookingSerializer,
            400: OpenApiResponse(description="A rule was broken; `detail` says which."),
            409: SlotTakenSerializer,
        },
        summary="Book a time for a child",
        description=(
            "Books the slot for one of the person's invited children, or moves the child's "
            "existing booking there. When someone else was faster the answer is 409 with the "
            "nearest free times, and nothing changes."
        ),
    )
    def post(self, request, pk):
        round_ = selectors.access_round(request.user, pk)
        data = BookingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child = selectors.access_family_child(request.user, round_, data.validated_data["child"])
        slot = selectors.access_round_slot(round_, data.validated_data["slot"])
        try:
            booking = round_services.booking_book(actor=request.user, slot=slot, child=child)
        except round_services.SlotTaken as exc:
            body = SlotTakenSerializer({"detail": exc.message, "suggestions": exc.suggestions})
            return Response(body.data, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingDetail(APIView):
    @extend_schema(
        responses={204: None, 400: OpenApiResponse(description="Booking has closed.")},
        summary="Cancel the family's booking",
        description="Either guardian may cancel while booking is open; the other is told.",
    )
    def delete(self, request, pk):
        booking = selectors.access_family_booking(request.user, pk)
        try:
            round_services.booking_cancel(actor=request.user, booking=booking)
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoundSchedule(APIView):
    @extend_schema(
        responses=ScheduleSlotSerializer(many=True),
        summary="The staff schedule of a round",
        description=(
            "Every slot of the groups the person manages, with the booked child. Staff only: "
            "403 for invited parents, 404 for everybody else."
        ),
    )
    def get(self, request, pk):
        round_ = selectors.access_managed_round(request.user, pk)
        plan = selectors.schedule(request.user, round_)
        return Response(ScheduleSlotSerializer(plan.slots, many=True).data)


class HelpRequestList(generics.ListAPIView):
    """Help requests of the groups the person sees."""

    serializer_class = HelpRequestSerializer

    def get_queryset(self):
        return selectors.visible_help_requests(self.request.user)


class HelpRequestDetail(APIView):
    @extend_schema(
        responses=HelpRequestDetailSerializer,
        summary="One help request with its roles",
        description="How many people each role still needs, and the person's own sign-up.",
    )
    def get(self, request, pk):
        help_request = selectors.access_help_request(request.user, pk)
        help_request.role_list = selectors.help_roles(help_request, request.user)
        return Response(HelpRequestDetailSerializer(help_request).data)


class HelpSignupCreate(APIView):
    @extend_schema(
        request=None,
        responses={
            201: OpenApiResponse(description="Signed up."),
            400: OpenApiResponse(description="Closed, full or already signed up."),
        },
        summary="Sign up for a role",
        description="Parents of the group only; the number needed is never exceeded.",
    )
    def post(self, request, pk):
        role = selectors.access_help_role(request.user, pk)
        try:
            signup = help_services.help_signup(actor=request.user, role=role)
        except ValidationError as exc:
            return _bad_request(exc)
        return Response({"id": signup.pk}, status=status.HTTP_201_CREATED)


class HelpSignupDetail(APIView):
    @extend_schema(
        responses={204: None, 400: OpenApiResponse(description="Sign-up has closed.")},
        summary="Withdraw a sign-up",
        description="Only before the request closes.",
    )
    def delete(self, request, pk):
        signup = selectors.access_own_signup(request.user, pk)
        try:
            help_services.help_withdraw(actor=request.user, signup=signup)
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgendaList(generics.ListAPIView):
    """Agenda items of every group the person sees, plus their schools' school-wide items."""

    serializer_class = AgendaItemSerializer

    def get_queryset(self):
        return selectors.agenda_for_user(self.request.user)
