from rest_framework import serializers

from .models import AgendaItem, Booking, HelpRequest, HelpRole, Round, Slot


class RoundSerializer(serializers.ModelSerializer):
    group_ids = serializers.PrimaryKeyRelatedField(source="groups", many=True, read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "purpose",
            "duration_minutes",
            "group_ids",
            "opens_at",
            "early_opens_at",
            "closes_at",
        ]


class SlotSerializer(serializers.ModelSerializer):
    """A time as a family sees it: no other family's name."""

    staff_name = serializers.CharField(source="staff.full_name", read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "group_id", "staff_name", "room", "starts_at", "ends_at"]


class BookingSerializer(serializers.ModelSerializer):
    slot = SlotSerializer(read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "round_id", "child_id", "slot"]


class ChildPlanSerializer(serializers.Serializer):
    child_id = serializers.IntegerField(source="child.pk")
    first_name = serializers.CharField(source="child.first_name")
    group_id = serializers.IntegerField(source="child.group_id")
    booking = BookingSerializer(allow_null=True)
    free_slots = SlotSerializer(many=True)
    suggestions = SlotSerializer(many=True)
    clash_slot_ids = serializers.SerializerMethodField(
        help_text="Free times that overlap a sibling's meeting."
    )

    def get_clash_slot_ids(self, plan) -> list[int]:
        return sorted(plan.clashes)


class FamilyPageSerializer(serializers.Serializer):
    round = RoundSerializer()
    head_start = serializers.BooleanField()
    children = ChildPlanSerializer(many=True)


class BookingRequestSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    slot = serializers.IntegerField()


class SlotTakenSerializer(serializers.Serializer):
    detail = serializers.CharField()
    suggestions = SlotSerializer(many=True)


class ScheduleSlotSerializer(SlotSerializer):
    child = serializers.SerializerMethodField()

    class Meta(SlotSerializer.Meta):
        fields = [*SlotSerializer.Meta.fields, "child"]

    def get_child(self, slot) -> dict | None:
        booking = slot.booking
        if booking is None:
            return None
        return {"id": booking.child_id, "full_name": booking.child.full_name}


class HelpRoleSerializer(serializers.ModelSerializer):
    taken = serializers.IntegerField(read_only=True)
    still_needed = serializers.IntegerField(read_only=True)
    own_signup_id = serializers.SerializerMethodField()

    class Meta:
        model = HelpRole
        fields = ["id", "name", "needed", "taken", "still_needed", "own_signup_id"]

    def get_own_signup_id(self, role) -> int | None:
        return role.own_signup.pk if role.own_signup else None


class HelpRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = HelpRequest
        fields = ["id", "group_id", "title", "description", "date", "closes_at"]


class HelpRequestDetailSerializer(HelpRequestSerializer):
    roles = HelpRoleSerializer(many=True, source="role_list")

    class Meta(HelpRequestSerializer.Meta):
        fields = [*HelpRequestSerializer.Meta.fields, "roles"]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "school_id", "group_id", "date", "end_date", "title", "kind", "description"]


class BreakSerializer(serializers.Serializer):
    start = serializers.TimeField()
    end = serializers.TimeField()


class SlotPlanSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    staff_id = serializers.IntegerField()
    room = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    day = serializers.DateField()
    start = serializers.TimeField()
    end = serializers.TimeField()
    breaks = BreakSerializer(many=True, required=False, default=list)


class RoundCreateSerializer(serializers.Serializer):
    """Ids are resolved against what the person may manage; unknown ids are refused."""

    title = serializers.CharField(max_length=150)
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    duration_minutes = serializers.IntegerField(min_value=5, max_value=120)
    group_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    child_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    opens_at = serializers.DateTimeField()
    early_opens_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    closes_at = serializers.DateTimeField()
    plans = SlotPlanSerializer(many=True, min_length=1)


class AssignSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    slot = serializers.IntegerField()


class StaffMoveSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class HelpRoleInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    needed = serializers.IntegerField(min_value=1, max_value=100)


class HelpRequestCreateSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField()
    closes_at = serializers.DateTimeField()
    roles = HelpRoleInputSerializer(many=True, min_length=1)


class AgendaItemCreateSerializer(serializers.Serializer):
    school_id = serializers.IntegerField()
    group_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
