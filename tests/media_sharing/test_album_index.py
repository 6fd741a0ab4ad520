"""The album index (/media/) and the "Photos" navigation item: every album a person may open,
by the same access rules as the album page itself."""

import re

import pytest
from django.urls import reverse

from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, current_school_year

INDEX = reverse("media_sharing:albums")
EMPTY = "Er zijn nog geen fotoalbums voor u."


def album_url(group):
    return reverse("media_sharing:album", args=[group.pk])


def listed(html):
    """The album links on the page, in order, as (link text, url)."""
    return [
        (text.strip(), url)
        for url, text in re.findall(
            r'<a class="card-title" href="(/media/groups/\d+/)">([^<]*)</a>', html
        )
    ]


def index_of(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_is_at_media(personas):
    assert INDEX == "/media/"


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_parent_sees_their_childs_group_labelled_with_the_name(personas, login):
    p = personas
    html = index_of(login(p.parent_a))
    assert listed(html) == [("Daan in Groep 5a", album_url(p.group_a))]
    assert "Uw kinderen" in html
    assert EMPTY not in html


def test_a_parent_of_children_in_two_schools_sees_both(personas, login):
    p = personas
    assert listed(index_of(login(p.multi_school_parent))) == [
        ("Mila in Groep 5a", album_url(p.group_a)),
        ("Noor in Groep 3x", album_url(p.group_x)),
    ]


def test_two_children_in_one_group_share_one_album(personas, login):
    p = personas
    GuardianshipFactory(guardian=p.parent_a, child=p.child_a2)
    assert listed(index_of(login(p.parent_a))) == [("Daan, Mila in Groep 5a", album_url(p.group_a))]


@pytest.mark.parametrize("who", ["blocked_parent_a", "outsider"])
def test_without_groups_the_page_says_so(personas, login, who):
    # Bart does not receive communication about Daan: nothing of Daan's group is shown.
    html = index_of(login(getattr(personas, who)))
    assert listed(html) == []
    assert EMPTY in html
    assert "Groep 5a" not in html


def test_staff_see_the_groups_they_work_in(personas, login):
    p = personas
    for person in (p.teacher_a, p.assistant_a):
        html = index_of(login(person))
        assert listed(html) == [("Groep 5a", album_url(p.group_a))]
        assert "Groepen" in html


def test_direction_and_administration_see_their_schools_current_groups(personas, login):
    p = personas
    GroupFactory(
        school=p.school, name="Groep 8 van vorig jaar", school_year=current_school_year() - 1
    )
    for person in (p.direction, p.admin):
        assert listed(index_of(login(person))) == [
            ("Groep 5a", album_url(p.group_a)),
            ("Groep 6b", album_url(p.group_b)),
        ]
    assert listed(index_of(login(p.other_admin))) == [("Groep 3x", album_url(p.group_x))]


@pytest.mark.parametrize(
    "who",
    [
        "parent_a",
        "separated_parent_a",
        "multi_school_parent",
        "parent_b",
        "teacher_a",
        "direction",
        "admin",
        "other_admin",
    ],
)
def test_every_listed_album_opens(personas, login, who):
    client = login(getattr(personas, who))
    links = listed(index_of(client))
    assert links
    for _text, url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("children", [1, 5])
def test_the_index_takes_a_fixed_number_of_queries(
    personas, login, django_assert_num_queries, children
):
    p = personas
    for number in range(children - 1):
        group = GroupFactory(school=p.school, name=f"Groep {number + 1}c")
        GuardianshipFactory(guardian=p.parent_a, child=ChildFactory(group=group))
    client = login(p.parent_a)
    client.get(INDEX)  # the session and the navigation's (cached) kindgesprek badge are warm
    # User, the children, the worked groups.
    with django_assert_num_queries(3):
        html = index_of(client)
    assert len(listed(html)) == children


# --- The navigation ----------------------------------------------------------------------


def nav_link(html):
    [link] = re.findall('<li><a href="/media/"[^>]*>' + "Foto's</a></li>", html)
    return link


def test_the_photos_item_is_in_the_navigation_of_every_page(personas, login):
    p = personas
    client = login(p.parent_a)
    home = client.get(reverse("home")).content.decode()
    assert "aria-current" not in nav_link(home)
    assert 'aria-current="page"' in nav_link(index_of(client))
    album = client.get(album_url(p.group_a)).content.decode()
    assert 'aria-current="page"' in nav_link(album)


def test_the_navigation_is_not_shown_to_anonymous_visitors(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Inloggen" in html
    assert 'href="/media/"' not in html
