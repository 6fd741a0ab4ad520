"""Invited families find the invitation in their group's feed (issue 10 with issue 4)."""

from django.urls import reverse

from messaging.models import Post


def test_invited_groups_get_the_invitation_in_their_feed(world):
    meeting_round = world.make_round()
    post = Post.objects.get()
    assert post.title == "Oudergesprekken: Rapportgesprekken"
    assert set(post.groups.all()) == {world.p.group_a, world.p.group_b}
    assert post.allow_reactions is False
    assert reverse("meetings:round", args=[meeting_round.pk]) in post.body
    assert "Het eerste rapport" in post.body


def test_chosen_children_get_no_group_post(world):
    world.make_round(children=[world.p.child_a])
    assert not Post.objects.exists()
