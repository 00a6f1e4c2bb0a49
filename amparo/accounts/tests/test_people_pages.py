"""People and access, the pages: what each role sees and may do, in Spanish and English,
in a bounded number of queries; the invitation link; the admin site for superusers only."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.invitations import invitation_create
from amparo.accounts.models import AccessChange, Invitation, Membership, Role, User
from amparo.accounts.people import MembershipSpec
from amparo.tests.queries import page_queries

PASSWORD = "x-Pass-12345"
NEW_PASSWORD = "Selva-Clara-2026"


@pytest.fixture
def person_of_b(world) -> User:
    """A viewer of region B who is also a viewer of region A's neighbour: only B."""
    person = User.objects.create_user(username="ucayali", password=PASSWORD, first_name="Rosa")
    Membership.objects.create(user=person, role=Role.VIEWER, region=world.region_b)
    return person


def _english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


# The people page


def test_an_admin_sees_everyone_with_roles_two_factor_and_status(world, person_of_b) -> None:
    page = world.client("admin").get(reverse("people"))
    assert page.status_code == 200
    names = {p.username for p in page.context["people"]}
    assert names == {"admin", "coordinator", "focal", "viewer", "outsider", "ucayali"}
    admin_row = next(p for p in page.context["people"] if p.username == "admin")
    assert admin_row.two_factor_on
    assert "Ucayali" in page.text and "Personas" in page.text  # Spanish first


def test_a_coordinator_sees_only_the_people_and_roles_of_their_region(world, person_of_b) -> None:
    Membership.objects.create(user=world.users["viewer"], role=Role.VIEWER, region=world.region_b)
    page = world.client("coordinator").get(reverse("people"))
    names = {p.username for p in page.context["people"]}
    assert names == {"coordinator", "focal", "viewer"}
    viewer = next(p for p in page.context["people"] if p.username == "viewer")
    assert [m.region for m in viewer.shown_memberships] == [world.region_a]
    assert "Ucayali" not in page.text


def test_the_people_page_is_in_english_on_request(world) -> None:
    page = _english(world.client("admin")).get(reverse("people"))
    assert "People" in page.text and "Open invitations" in page.text


def test_the_list_filters_by_name_and_status(world) -> None:
    world.users["viewer"].is_active = False
    world.users["viewer"].save()
    client = world.client("admin")
    found = client.get(reverse("people"), {"status": "inactive"}).context["people"]
    assert [p.username for p in found] == ["viewer"]
    found = client.get(reverse("people"), {"q": "coord"}).context["people"]
    assert [p.username for p in found] == ["coordinator"]


def test_the_menu_links_people_for_admins_and_coordinators_only(world) -> None:
    link = f'href="{reverse("people")}"'
    assert link in world.client("admin").get(reverse("home")).text
    assert link in world.client("coordinator").get(reverse("home")).text
    assert link not in world.client("focal").get(reverse("home")).text
    assert link not in world.client("viewer").get(reverse("home")).text


def test_the_people_page_costs_the_same_for_many_people(world) -> None:
    client = world.client("admin")
    url = reverse("people")
    invitation_create(
        by=world.users["admin"],
        email="x@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_b)],
        link_for=str,
    )
    few = page_queries(client, url)
    for n in range(30):
        user = User.objects.create_user(username=f"p{n}")
        Membership.objects.create(user=user, role=Role.VIEWER, region=world.region_a)
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        invitation_create(
            by=world.users["admin"],
            email=f"x{n}@example.org",
            memberships=[MembershipSpec(Role.VIEWER, world.region_a)],
            link_for=str,
        )
    assert page_queries(client, url) == few <= 15
    assert page_queries(world.client("coordinator"), url) <= 15


def test_the_person_page_is_bounded(world, django_assert_max_num_queries) -> None:
    client = world.client("admin")
    url = reverse("person-detail", args=[world.users["focal"].pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


# One person's page


def test_a_coordinator_cannot_open_a_person_of_another_region(world, person_of_b) -> None:
    client = world.client("coordinator")
    assert client.get(reverse("person-detail", args=[person_of_b.pk])).status_code == 404
    assert client.get(reverse("person-detail", args=[world.users["admin"].pk])).status_code == 404
    assert (
        world.client("admin").get(reverse("person-detail", args=[person_of_b.pk])).status_code
        == 200
    )


def test_only_admins_see_deactivate_and_reset(world) -> None:
    url = reverse("person-detail", args=[world.users["focal"].pk])
    deactivate = reverse("person-deactivate", args=[world.users["focal"].pk])
    assert deactivate in world.client("admin").get(url).text
    page = world.client("coordinator").get(url)
    assert deactivate not in page.text
    assert reverse("second-factor-reset", args=[world.users["focal"].pk]) not in page.text


def test_an_admin_is_not_offered_to_deactivate_themselves(world) -> None:
    admin = world.users["admin"]
    page = world.client("admin").get(reverse("person-detail", args=[admin.pk]))
    assert reverse("person-deactivate", args=[admin.pk]) not in page.text


def test_a_role_is_given_changed_and_taken_away_from_the_page(world) -> None:
    client = world.client("coordinator")
    viewer = world.users["viewer"]
    response = client.post(
        reverse("membership-add", args=[viewer.pk]),
        {"role": Role.FOCAL_POINT, "region": world.region_a.pk, "sector": world.sector.pk},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=viewer, role=Role.FOCAL_POINT)
    edit = reverse("membership-edit", args=[viewer.pk, added.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"role": Role.FOCAL_POINT, "region": world.region_a.pk, "sector": world.other_sector.pk},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.sector == world.other_sector
    client.post(reverse("membership-remove", args=[viewer.pk, added.pk]))
    assert not Membership.objects.filter(pk=added.pk).exists()


def test_an_invalid_role_is_refused_on_the_page_with_a_message(world) -> None:
    client = world.client("admin")
    response = client.post(
        reverse("membership-add", args=[world.users["outsider"].pk]),
        {"role": Role.COORDINATOR, "region": ""},
    )
    assert response.status_code == 400
    assert "una coordinación necesita una región" in response.text
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_a_coordinator_is_offered_only_roles_and_regions_they_give(world) -> None:
    form = world.client("coordinator").get(reverse("invitation-new")).context["form"]
    assert [value for value, _label in form.fields["role"].choices] == [
        "",
        Role.FOCAL_POINT,
        Role.VIEWER,
    ]
    assert list(form.fields["region"].queryset) == [world.region_a]


def test_a_coordinator_may_not_change_another_coordinators_role(world) -> None:
    other = User.objects.create_user(username="coord2")
    membership = Membership.objects.create(user=other, role=Role.COORDINATOR, region=world.region_a)
    url = reverse("membership-edit", args=[other.pk, membership.pk])
    assert world.client("coordinator").get(url).status_code == 403


def test_removing_ones_own_admin_role_is_refused_with_a_message(world) -> None:
    admin = world.users["admin"]
    membership = Membership.objects.get(user=admin)
    client = world.client("admin")
    response = client.post(
        reverse("membership-remove", args=[admin.pk, membership.pk]), follow=True
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "No puede quitarse sus propios derechos" in response.text


def test_deactivate_and_reactivate_from_the_page(world) -> None:
    client = world.client("admin")
    focal = world.users["focal"]
    client.post(reverse("person-deactivate", args=[focal.pk]), {"reason": "dejó el cargo"})
    assert not User.objects.get(pk=focal.pk).is_active
    assert AccessChange.objects.get().reason == "dejó el cargo"
    page = client.get(reverse("person-detail", args=[focal.pk]))
    assert "dejó el cargo" in page.text
    client.post(reverse("person-reactivate", args=[focal.pk]))
    assert User.objects.get(pk=focal.pk).is_active


def test_deactivating_oneself_is_refused_on_the_page(world) -> None:
    admin = world.users["admin"]
    response = world.client("admin").post(
        reverse("person-deactivate", args=[admin.pk]), follow=True
    )
    assert User.objects.get(pk=admin.pk).is_active
    assert "No puede desactivarse" in response.text


def test_the_second_factor_is_reset_from_the_page_with_a_reason(world) -> None:
    viewer = world.users["viewer"]
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=True)
    client = world.client("admin")
    url = reverse("second-factor-reset", args=[viewer.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "perdió el celular"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    own = client.post(
        reverse("second-factor-reset", args=[world.users["admin"].pk]), {"reason": "x"}
    )
    assert own.status_code == 400
    assert TOTPDevice.objects.filter(user=world.users["admin"]).exists()


# Invitations from the pages


def test_an_admin_invites_from_the_page_and_the_person_accepts(
    world, django_capture_on_commit_callbacks
) -> None:
    client = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation-new"),
            {
                "email": "Lucia@Example.org",
                "first_name": "Lucía",
                "role": Role.COORDINATOR,
                "region": world.region_b.pk,
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "funciona una sola vez y durante 72 horas" in mail.outbox[0].body  # in Spanish
    assert mail.outbox[0].subject.startswith("Su invitación a ")
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    assert "lucia@example.org" in client.get(reverse("people")).text

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and "lucia@example.org" in page.text
    weak = visitor.post(path, {"new_password1": "lucia", "new_password2": "lucia"})
    assert weak.status_code == 400
    done = visitor.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("login")
    assert visitor.get(path).status_code == 404  # used

    signed_in = visitor.post(
        reverse("login"), {"username": "lucia@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert visitor.get(reverse("region-detail", args=[world.region_b.code])).status_code == 200
    assert visitor.get(reverse("region-detail", args=[world.region_a.code])).status_code == 404


def test_an_invited_admin_sets_up_the_second_factor_at_the_first_sign_in(world) -> None:
    token = {}
    invitation_create(
        by=world.users["admin"],
        email="jefa@example.org",
        memberships=[MembershipSpec(Role.PROGRAM_ADMIN)],
        link_for=lambda t: token.setdefault("t", t),
    )
    visitor = Client()
    url = reverse("invitation-accept", args=[token["t"]])
    visitor.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    visitor.post(reverse("login"), {"username": "jefa@example.org", "password": NEW_PASSWORD})
    response = visitor.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp-setup"))


def test_an_invalid_combination_is_refused_on_the_invitation_page(world) -> None:
    response = world.client("admin").post(
        reverse("invitation-new"),
        {"email": "x@example.org", "role": Role.FOCAL_POINT, "region": world.region_a.pk},
    )
    assert response.status_code == 400
    assert "un enlace sectorial necesita una región y un sector" in response.text
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_coordinator_cannot_invite_into_another_region_by_posting_it(world) -> None:
    response = world.client("coordinator").post(
        reverse("invitation-new"),
        {"email": "x@example.org", "role": Role.VIEWER, "region": world.region_b.pk},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_resend_and_revoke_from_the_page(world, django_capture_on_commit_callbacks) -> None:
    invitation = invitation_create(
        by=world.users["coordinator"],
        email="v@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_a)],
        link_for=str,
    )
    client = world.client("coordinator")
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(reverse("invitation-resend", args=[invitation.pk]))
    assert resent.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash and len(mail.outbox) == 1
    assert client.post(reverse("invitation-revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    refused = client.post(reverse("invitation-revoke", args=[invitation.pk]), follow=True)
    assert "revocada" in refused.text


def test_a_coordinator_does_not_see_invitations_of_another_region(world) -> None:
    other = invitation_create(
        by=world.users["admin"],
        email="b@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_b)],
        link_for=str,
    )
    client = world.client("coordinator")
    assert "b@example.org" not in client.get(reverse("people")).text
    assert client.post(reverse("invitation-revoke", args=[other.pk])).status_code == 404


def test_a_broken_link_says_so_in_both_languages(db) -> None:
    url = reverse("invitation-accept", args=["nope"])
    page = Client().get(url)
    assert page.status_code == 404 and "Este enlace ya no funciona" in page.text
    assert "This link no longer works" in _english(Client()).get(url).text


# The admin site


def test_the_admin_site_is_for_superusers_only(world) -> None:
    admin = world.users["admin"]
    admin.is_staff = True
    admin.save()
    client = world.client("admin")
    assert client.get(reverse("admin:index")).status_code == 404
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 404
    assert client.get(reverse("admin:login")).status_code == 404
    for role in ("coordinator", "viewer", "outsider"):
        assert world.client(role).get(reverse("admin:index")).status_code == 404
    anonymous = Client().get(reverse("admin:index"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("admin:login"))
    admin.is_superuser = True
    admin.save()
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_coordinator_cannot_touch_an_admins_invitation_of_a_coordinator(world) -> None:
    """Visible (it names their region) but not theirs to send or revoke: no buttons, 403."""
    invitation = invitation_create(
        by=world.users["admin"],
        email="coord2@example.org",
        memberships=[MembershipSpec(Role.COORDINATOR, world.region_a)],
        link_for=str,
    )
    client = world.client("coordinator")
    page = client.get(reverse("people"))
    assert "coord2@example.org" in page.text
    assert reverse("invitation-revoke", args=[invitation.pk]) not in page.text
    assert client.post(reverse("invitation-revoke", args=[invitation.pk])).status_code == 403
    assert client.post(reverse("invitation-resend", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    admin_page = world.client("admin").get(reverse("people"))
    assert reverse("invitation-revoke", args=[invitation.pk]) in admin_page.text


def test_a_coordinator_cannot_take_away_another_coordinators_role(world) -> None:
    other = User.objects.create_user(username="coord2")
    membership = Membership.objects.create(user=other, role=Role.COORDINATOR, region=world.region_a)
    client = world.client("coordinator")
    page = client.get(reverse("person-detail", args=[other.pk]))
    assert reverse("membership-remove", args=[other.pk, membership.pk]) not in page.text
    url = reverse("membership-remove", args=[other.pk, membership.pk])
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_accepting_in_a_browser_signed_in_as_someone_else_signs_them_out(world) -> None:
    token = {}
    invitation_create(
        by=world.users["admin"],
        email="nuevo@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_a)],
        link_for=lambda t: token.setdefault("t", t),
    )
    shared = world.client("viewer")
    url = reverse("invitation-accept", args=[token["t"]])
    done = shared.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert shared.get(reverse("login")).status_code == 200  # the form, not the viewer's home
