"""The audience matrix: every persona against every group and child."""

import pytest

from groups import selectors

# persona -> (visible groups, visible children)
MATRIX = {
    "teacher_a": ({"group_a"}, {"child_a", "child_a2"}),
    "assistant_a": ({"group_a"}, {"child_a", "child_a2"}),
    "direction": ({"group_a", "group_b"}, set()),
    "parent_a": ({"group_a"}, {"child_a"}),
    "separated_parent_a": ({"group_a"}, {"child_a"}),
    "blocked_parent_a": (set(), set()),
    "parent_b": ({"group_b"}, {"child_b"}),
    "multi_school_parent": ({"group_a", "group_x"}, {"child_a2", "child_x"}),
    "admin": ({"group_a", "group_b"}, {"child_a", "child_a2", "child_b"}),
    "other_admin": ({"group_x"}, {"child_x"}),
    "outsider": (set(), set()),
}
GROUPS = ["group_a", "group_b", "group_x"]
CHILDREN = ["child_a", "child_a2", "child_b", "child_x"]


def _names(personas, objects, candidates):
    ids = {obj.pk for obj in objects}
    return {name for name in candidates if getattr(personas, name).pk in ids}


@pytest.mark.parametrize("persona", MATRIX)
def test_visible_groups_and_children(personas, persona):
    user = getattr(personas, persona)
    groups, children = MATRIX[persona]
    assert _names(personas, selectors.visible_groups(user), GROUPS) == groups
    assert _names(personas, selectors.visible_children(user), CHILDREN) == children


@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("name", GROUPS)
def test_access_group_matches_matrix(personas, persona, name):
    user, group = getattr(personas, persona), getattr(personas, name)
    if name in MATRIX[persona][0]:
        assert selectors.access_group(user, group.pk) == group
    else:
        with pytest.raises(selectors.Http404):
            selectors.access_group(user, group.pk)


@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("name", CHILDREN)
def test_access_child_matches_matrix(personas, persona, name):
    user, child = getattr(personas, persona), getattr(personas, name)
    if name in MATRIX[persona][1]:
        assert selectors.access_child(user, child.pk) == child
    else:
        with pytest.raises(selectors.Http404):
            selectors.access_child(user, child.pk)


@pytest.mark.parametrize("bad_id", [999_999, "abc", None])
def test_access_missing_is_404(personas, bad_id):
    with pytest.raises(selectors.Http404):
        selectors.access_group(personas.admin, bad_id)
    with pytest.raises(selectors.Http404):
        selectors.access_child(personas.admin, bad_id)


def test_guardians_of_child_excludes_blocked_and_inactive(personas):
    assert set(selectors.guardians_of(personas.child_a)) == {
        personas.parent_a,
        personas.separated_parent_a,
    }
    personas.separated_parent_a.is_active = False
    personas.separated_parent_a.save()
    assert set(selectors.guardians_of(personas.child_a)) == {personas.parent_a}


def test_staff_of_group(personas):
    assert set(selectors.staff_of_group(personas.group_a)) == {
        personas.teacher_a,
        personas.assistant_a,
    }
    assert set(selectors.staff_of_group(personas.group_b)) == set()


def test_role_questions(personas):
    p = personas
    assert selectors.is_group_staff(p.teacher_a, p.group_a)
    assert selectors.is_group_staff(p.assistant_a, p.group_a)
    assert not selectors.is_group_staff(p.teacher_a, p.group_b)
    assert not selectors.is_group_staff(p.direction, p.group_a)
    assert not selectors.is_group_staff(p.parent_a, p.group_a)
    assert selectors.is_school_administration(p.admin, p.school)
    assert not selectors.is_school_administration(p.admin, p.other_school)
    assert not selectors.is_school_administration(p.direction, p.school)
    assert selectors.is_school_leadership(p.direction, p.school)
    assert selectors.is_school_leadership(p.admin, p.school)
    assert not selectors.is_school_leadership(p.teacher_a, p.school)


@pytest.mark.parametrize("persona", MATRIX)
def test_reader_scope_follows_the_rules_of_the_separate_selectors(personas, persona):
    user = getattr(personas, persona)
    # A staff member who is also a parent reads as both.
    if persona == "teacher_a":
        personas.child_b.guardianships.create(guardian=user)
    scope = selectors.reader_scope(user)
    own = selectors.children_of_guardian(user).order_by("first_name", "last_name")
    assert [(c.pk, c.group_id, c.school_id, c.first_name) for c in scope.children] == [
        (c.pk, c.group_id, c.school_id, c.first_name) for c in own
    ]
    assert scope.staff_group_ids == set(selectors.staffed_groups(user).values_list("id", flat=True))
    assert scope.led_school_ids == set(selectors.led_schools(user).values_list("id", flat=True))


def test_deactivated_user_sees_nothing(personas):
    for user in (personas.teacher_a, personas.admin, personas.parent_a):
        user.is_active = False
        user.save()
        assert not selectors.visible_groups(user).exists()
        assert not selectors.visible_children(user).exists()
        assert not selectors.is_school_administration(user, personas.school)
        scope = selectors.reader_scope(user)
        assert (scope.children, scope.staff_group_ids, scope.led_school_ids) == ([], set(), set())


def test_removed_guardianship_removes_access(personas):
    personas.parent_a.guardianships.filter(child=personas.child_a).delete()
    with pytest.raises(selectors.Http404):
        selectors.access_child(personas.parent_a, personas.child_a.pk)


def test_child_moving_group_moves_visibility(personas):
    from groups.services import child_move

    child_move(child=personas.child_a, group=personas.group_b)
    with pytest.raises(selectors.Http404):
        selectors.access_child(personas.teacher_a, personas.child_a.pk)
    assert selectors.access_group(personas.parent_a, personas.group_b.pk) == personas.group_b


def test_child_cannot_move_to_another_school(personas):
    from django.core.exceptions import ValidationError

    from groups.services import child_move

    with pytest.raises(ValidationError):
        child_move(child=personas.child_a, group=personas.group_x)
    personas.child_a.refresh_from_db()
    assert personas.child_a.group == personas.group_a
