"""API: the same selectors as the pages decide what each person may see."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .serializers import ChildSerializer, GroupSerializer, MeSerializer


class MeView(APIView):
    @extend_schema(
        responses=MeSerializer,
        summary="The logged-in person",
        description="Profile, staff roles per school, and the ids of the person's own children.",
    )
    def get(self, request):
        overview = selectors.user_overview(request.user)
        user = request.user
        user.memberships = overview.memberships
        user.child_ids = [child.pk for child in overview.children]
        return Response(MeSerializer(user).data)


class GroupList(generics.ListAPIView):
    """Groups the person may see: their children's groups, the groups they work in, and all
    groups of a school they lead."""

    serializer_class = GroupSerializer

    def get_queryset(self):
        return selectors.visible_groups(self.request.user)


class GroupDetail(generics.RetrieveAPIView):
    """One group; 404 when it does not exist or is not visible to the person."""

    serializer_class = GroupSerializer

    def get_object(self):
        return selectors.access_group(self.request.user, self.kwargs["pk"])


class ChildList(generics.ListAPIView):
    """Children the person may see: their own, those of groups they work in, and every child
    of a school they administer."""

    serializer_class = ChildSerializer

    def get_queryset(self):
        return selectors.visible_children(self.request.user)


class ChildDetail(generics.RetrieveAPIView):
    """One child; 404 when missing or not visible to the person."""

    serializer_class = ChildSerializer

    def get_object(self):
        return selectors.access_child(self.request.user, self.kwargs["pk"])
