"""API: the same services and selectors as the pages, so the same rules and audience."""

import datetime

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .serializers import AbsenceReportCreateSerializer, AbsenceReportSerializer


def _as_drf_error(error: ValidationError):
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class AbsenceList(generics.ListAPIView):
    serializer_class = AbsenceReportSerializer

    def get_queryset(self):
        reports = selectors.visible_reports(self.request.user)
        day = self.request.query_params.get("day")
        if day:
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                raise exceptions.ValidationError({"day": ["Use the format YYYY-MM-DD."]}) from None
            reports = reports.filter(start__lte=day, end__gte=day, withdrawn_at__isnull=True)
        return reports

    @extend_schema(
        summary="Absence reports you may see",
        description=(
            "Guardians see the reports about their own children (made by any of the child's "
            "guardians); teachers and assistants those of the children in their groups; the "
            "administration every report of their school. Withdrawn reports are included "
            "unless `day` is given."
        ),
        parameters=[
            OpenApiParameter(
                "day",
                OpenApiTypes.DATE,
                description="Only reports that cover this day and are not withdrawn.",
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Report an absence",
        description=(
            "Report one absence for one or more of your own children (siblings at once: all "
            "or nothing). Same-day reports after the school's cut-off (in the school's time "
            "zone) are accepted, flagged `is_late` and routed to the administration; phone "
            "the administration as well. Planned absences need the school's notice in school "
            "days. Days in the past, an end before the start, a range longer than the school "
            "allows and overlapping reports are refused with a 400 and field messages; a child "
            "that is not yours answers 404. Every guardian of the child is e-mailed."
        ),
        request=AbsenceReportCreateSerializer,
        responses={201: AbsenceReportSerializer(many=True)},
    )
    def post(self, request):
        incoming = AbsenceReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            reports = services.absence_report(actor=request.user, **incoming.validated_data)
        except ValidationError as error:
            raise _as_drf_error(error) from None
        return Response(
            AbsenceReportSerializer(reports, many=True).data, status=status.HTTP_201_CREATED
        )


class AbsenceDetail(generics.RetrieveAPIView):
    """One absence report; 404 when missing or when you may not see the child."""

    serializer_class = AbsenceReportSerializer

    def get_object(self):
        return selectors.access_report(self.request.user, self.kwargs["pk"])


class AbsenceWithdraw(APIView):
    @extend_schema(
        summary="Withdraw an absence report",
        description=(
            "A guardian of the child (or the school's administration) withdraws a report "
            "before its first day. Once the absence has started: 400. Others: 404."
        ),
        request=None,
        responses={200: AbsenceReportSerializer},
    )
    def post(self, request, pk):
        try:
            report = services.absence_withdraw(actor=request.user, report_id=pk)
        except ValidationError as error:
            raise _as_drf_error(error) from None
        return Response(AbsenceReportSerializer(report).data)
