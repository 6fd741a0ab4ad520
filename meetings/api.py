"""API: the same services and selectors as the pages, so the same rules and messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from groups.models import Child

from . import selectors
from .serializers import (
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    AssignSerializer,
    BookingRequestSerializer,
    BookingSerializer,
    FamilyPageSerializer,
    HelpRequestCreateSerializer,
    HelpRequestDetailSerializer,
    HelpRequestSerializer,
    ReasonSerializer,
    RoundCreateSerializer,
    RoundSerializer,
    ScheduleSlotSerializer,
    SlotTakenSerializer,
    StaffMoveSerializer,
)
from .services import agenda as agenda_services
from .services import help as help_services
from .services import rounds as round_services


def _bad_request(exc):
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


def _booking_response(book, success_status=status.HTTP_200_OK):
    """Run a booking service: the booking, 409 with the nearest free times when someone was
    just faster, 400 with the rule's message otherwise."""
    try:
        booking = book()
    except round_services.SlotTaken as exc:
        body = SlotTakenSerializer({"detail": exc.message, "suggestions": exc.suggestions})
        return Response(body.data, status=status.HTTP_409_CONFLICT)
    except ValidationError as exc:
        return _bad_request(exc)
    return Response(BookingSerializer(booking).data, status=success_status)


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
        return _booking_response(
            lambda: round_services.booking_book(actor=request.user, slot=slot, child=child),
            status.HTTP_201_CREATED,
        )


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


# --- Staff operations -----------------------------------------------------------------------


def _refuse(message):
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


class RoundCreate(APIView):
    @extend_schema(
        request=RoundCreateSerializer,
        responses={
            201: RoundSerializer,
            400: OpenApiResponse(description="Overlapping slots, bad times or unknown ids."),
            403: OpenApiResponse(description="Not staff of every chosen group."),
        },
        summary="Plan a round of parent meetings",
        description=(
            "Direction and administration plan for any group of their school, teachers for "
            "their own groups. Each plan is cut into meetings of `duration_minutes`, skipping "
            "breaks; one staff member never has two meetings at once. Without `child_ids` every "
            "child of the groups is invited; their guardians are e-mailed."
        ),
    )
    def post(self, request):
        data = RoundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        groups = selectors.resolve_ids(
            selectors.manageable_groups(request.user), values["group_ids"]
        )
        if groups is None:
            return _refuse(_("Choose groups you work with."))
        schools = {group.school for group in groups}
        if len(schools) > 1:
            return _refuse(_("Choose groups of one school."))
        school = schools.pop()
        plan_groups = {group.pk: group for group in groups}
        staff = selectors.resolve_ids(
            selectors.school_staff([school]), {p["staff_id"] for p in values["plans"]}
        )
        children = selectors.resolve_ids(
            Child.objects.filter(group__in=groups), values["child_ids"]
        )
        if staff is None or children is None:
            return _refuse(_("Choose staff members and children of this school."))
        if any(plan["group_id"] not in plan_groups for plan in values["plans"]):
            return _refuse(_("Slots can only be planned for the round's groups."))
        staff_by_id = {person.pk: person for person in staff}
        try:
            round_ = round_services.round_create(
                actor=request.user,
                school=school,
                title=values["title"],
                purpose=values["purpose"],
                duration_minutes=values["duration_minutes"],
                groups=groups,
                children=children,
                opens_at=values["opens_at"],
                early_opens_at=values["early_opens_at"],
                closes_at=values["closes_at"],
                plans=[
                    round_services.SlotPlan(
                        group=plan_groups[plan["group_id"]],
                        staff=staff_by_id[plan["staff_id"]],
                        room=plan["room"],
                        day=plan["day"],
                        start=plan["start"],
                        end=plan["end"],
                        breaks=tuple((b["start"], b["end"]) for b in plan["breaks"]),
                    )
                    for plan in values["plans"]
                ],
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class AssignBooking(APIView):
    @extend_schema(
        request=AssignSerializer,
        responses={201: BookingSerializer, 400: OpenApiResponse(), 409: SlotTakenSerializer},
        summary="Plan a meeting for a family (staff)",
        description="Also outside the booking window. The family is told by e-mail.",
    )
    def post(self, request, pk):
        round_ = selectors.access_managed_round(request.user, pk)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child = selectors.access_invited_child(round_, data.validated_data["child"])
        slot = selectors.access_round_slot(round_, data.validated_data["slot"])
        return _booking_response(
            lambda: round_services.booking_assign(actor=request.user, slot=slot, child=child),
            status.HTTP_201_CREATED,
        )


class StaffMove(APIView):
    @extend_schema(
        request=StaffMoveSerializer,
        responses={200: BookingSerializer, 400: OpenApiResponse(), 409: SlotTakenSerializer},
        summary="Move a family's meeting (staff)",
        description="The reason is sent to the family. 404 outside the groups you manage.",
    )
    def post(self, request, pk):
        booking = selectors.access_managed_booking(request.user, pk)
        data = StaffMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slot = selectors.access_round_slot(booking.round, data.validated_data["slot"])
        return _booking_response(
            lambda: round_services.booking_staff_move(
                actor=request.user,
                booking=booking,
                slot=slot,
                reason=data.validated_data["reason"],
            )
        )


class StaffCancel(APIView):
    @extend_schema(
        request=ReasonSerializer,
        responses={204: None, 400: OpenApiResponse()},
        summary="Cancel a family's meeting (staff)",
        description="The reason is sent to the family. 404 outside the groups you manage.",
    )
    def post(self, request, pk):
        booking = selectors.access_managed_booking(request.user, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            round_services.booking_staff_cancel(
                actor=request.user, booking=booking, reason=data.validated_data["reason"]
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HelpRequestCreate(APIView):
    @extend_schema(
        request=HelpRequestCreateSerializer,
        responses={201: HelpRequestSerializer, 400: OpenApiResponse()},
        summary="Ask the parents of a group for help (staff)",
        description="Roles with the number of people needed, and when sign-up closes.",
    )
    def post(self, request):
        data = HelpRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        group = selectors.access_manageable_group(request.user, values.pop("group_id"))
        roles = [(role["name"], role["needed"]) for role in values.pop("roles")]
        try:
            help_request = help_services.help_request_create(
                actor=request.user, group=group, roles=roles, **values
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(HelpRequestSerializer(help_request).data, status=status.HTTP_201_CREATED)


class AgendaItemCreate(APIView):
    @extend_schema(
        request=AgendaItemCreateSerializer,
        responses={201: AgendaItemSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
        summary="Add an agenda item (staff)",
        description=(
            "Without `group_id` the item is for the whole school (direction and administration "
            "only); with it, for that group (its staff, or the school's leadership)."
        ),
    )
    def post(self, request):
        data = AgendaItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        school = selectors.access_manageable_school(request.user, values.pop("school_id"))
        group_id = values.pop("group_id")
        group = selectors.access_manageable_group(request.user, group_id) if group_id else None
        try:
            item = agenda_services.agenda_item_create(
                actor=request.user, school=school, group=group, **values
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)
