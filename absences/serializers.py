from rest_framework import serializers

from .models import NOTE_MAX_LENGTH, AbsenceReport


class AbsenceReportSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    group = serializers.CharField(source="child.group.name", read_only=True)
    reported_by = serializers.SerializerMethodField()
    by_phone = serializers.BooleanField(read_only=True)
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = AbsenceReport
        fields = [
            "id",
            "child",
            "child_name",
            "group",
            "kind",
            "start",
            "end",
            "part",
            "note",
            "reported_by",
            "by_phone",
            "created_at",
            "is_late",
            "routed_to_administration",
            "withdrawn",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_reported_by(self, report) -> str:
        """The guardian the report came from (also for a phone report), by name."""
        person = report.on_behalf_of or report.reported_by
        return person.full_name if person else ""

    def get_withdrawn(self, report) -> bool:
        return report.withdrawn_at is not None


class AbsenceReportCreateSerializer(serializers.Serializer):
    """Shape only: the service decides everything else (and answers 404 for others' children)."""

    children = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=20,
        help_text="Ids of your own children; siblings are reported together or not at all.",
    )
    kind = serializers.ChoiceField(choices=AbsenceReport.Kind.choices)
    start = serializers.DateField()
    end = serializers.DateField(
        required=False, allow_null=True, help_text="Last day; leave out for a single day."
    )
    part = serializers.ChoiceField(
        choices=AbsenceReport.Part.choices, default=AbsenceReport.Part.WHOLE
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default=""
    )
