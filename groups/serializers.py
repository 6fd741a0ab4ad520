from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Child, Group, School, StaffMembership


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "slug"]


class GroupSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "school_year", "grade", "school"]


class GroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name", "school_year"]


class ChildSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True)
    school = SchoolSerializer(read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "group", "school"]


class MembershipSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(read_only=True)
    group_ids = serializers.SerializerMethodField()

    class Meta:
        model = StaffMembership
        fields = ["school", "role", "group_ids"]

    def get_group_ids(self, membership) -> list[int]:
        return [group.pk for group in membership.groups.all()]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    child_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "full_name", "preferred_language", "memberships", "child_ids"]
