"""People and access: the people page, one person's page, invitations and the page where
an invited person chooses a password. Program admins manage everyone; coordinators the
focal points and viewers of their region (``access.may_give``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amparo.accounts import access, invitations, people, queries
from amparo.accounts.forms import AcceptInvitationForm, InvitationForm, MembershipForm, ReasonForm
from amparo.accounts.models import Membership
from amparo.form_errors import save_or_form_errors


def _link_builder(request: HttpRequest) -> invitations.LinkBuilder:
    return lambda token: request.build_absolute_uri(reverse("invitation-accept", args=[token]))


@login_required
def people_page(request: HttpRequest) -> HttpResponse:
    """Everyone the user manages, and the open invitations."""
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    return render(
        request,
        "accounts/people.html",
        {
            "people": queries.people_list(request.user, search=search, status=status),
            "invitations": queries.open_invitations(request.user),
            "search": search,
            "status": status,
            "limit": queries.PEOPLE_LIMIT,
        },
    )


def _person_page(
    request: HttpRequest, pk: int, membership_form: MembershipForm | None = None
) -> HttpResponse:
    person = queries.person_detail(request.user, pk)
    admin = access.is_program_admin(request.user)
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "memberships": [
                (m, access.may_give(request.user, m.role, m.region_id))
                for m in person.shown_memberships
            ],
            "form": membership_form or MembershipForm(user=request.user),
            "is_admin": admin,
            "is_self": person.pk == request.user.pk,
            "changes": queries.access_changes(person) if admin else [],
        },
        status=400 if membership_form is not None else 200,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, pk)


@require_POST
@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_or_404(request.user, pk)
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid() and save_or_form_errors(
        form, lambda: people.membership_add(by=request.user, person=person, spec=form.spec())
    ):
        messages.success(request, _("Role given."))
        return redirect("person-detail", pk=person.pk)
    return _person_page(request, pk, form)


def _membership_or_404(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    person = access.person_or_404(request.user, pk)
    rows = Membership.objects.select_related("user", "region", "sector")
    if not access.is_program_admin(request.user):  # only their region's memberships show
        rows = rows.filter(region__in=access.regions_for_people(request.user))
    membership = rows.filter(user=person, pk=membership_pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
def membership_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk, membership_pk)
    if not access.may_give(request.user, membership.role, membership.region_id):
        raise PermissionDenied
    initial = {"role": membership.role, "region": membership.region, "sector": membership.sector}
    form = MembershipForm(request.POST or None, user=request.user, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form,
            lambda: people.membership_change(
                by=request.user, membership=membership, spec=form.spec()
            ),
        )
    ):
        messages.success(request, _("Role changed."))
        return redirect("person-detail", pk=pk)
    return render(
        request,
        "accounts/membership_edit.html",
        {"form": form, "membership": membership, "person": membership.user},
        status=400 if form.errors else 200,
    )


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@require_POST
@login_required
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk, membership_pk)
    if not access.may_give(request.user, membership.role, membership.region_id):
        raise PermissionDenied
    try:
        people.membership_remove(by=request.user, membership=membership)
        messages.success(request, _("Role taken away."))
    except ValidationError as error:
        _refused(request, error)
    return redirect("person-detail", pk=pk)


@require_POST
@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    person = access.person_or_404(request.user, pk)
    try:
        people.person_deactivate(
            by=request.user, person=person, reason=request.POST.get("reason", "")[:500]
        )
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": person})
    except ValidationError as error:
        _refused(request, error)
    return redirect("person-detail", pk=pk)


@require_POST
@login_required
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    person = access.person_or_404(request.user, pk)
    try:
        people.person_reactivate(by=request.user, person=person)
        messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    except ValidationError as error:
        _refused(request, error)
    return redirect("person-detail", pk=pk)


@login_required
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a lost authenticator app (program admins, for someone else, with a reason)."""
    access.require_program_admin(request.user)
    person = access.person_or_404(request.user, pk)
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form,
            lambda: people.second_factor_reset(
                by=request.user, person=person, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(
            request,
            _("%(name)s sets up two-factor sign-in again at the next sign-in.") % {"name": person},
        )
        return redirect("person-detail", pk=pk)
    return render(
        request,
        "accounts/second_factor_reset.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
def invitation_new(request: HttpRequest) -> HttpResponse:
    access.require_people_manager(request.user)
    form = InvitationForm(request.POST or None, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form,
            lambda: invitations.invitation_create(
                by=request.user,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                memberships=[form.spec()],
                link_for=_link_builder(request),
            ),
        )
    ):
        messages.success(
            request,
            _("Invitation sent to %(email)s; the link works for 72 hours.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("people")
    return render(
        request, "accounts/invitation_new.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.invitation_or_404(request.user, pk)
    try:
        invitations.invitation_resend(
            by=request.user, invitation=invitation, link_for=_link_builder(request)
        )
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation})
    except ValidationError as error:
        _refused(request, error)
    return redirect("people")


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.invitation_or_404(request.user, pk)
    try:
        invitations.invitation_revoke(by=request.user, invitation=invitation)
        messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation})
    except ValidationError as error:
        _refused(request, error)
    return redirect("people")


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a password; then sign in. A used, revoked or expired link
    answers 404 with a page that says so."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    account = invitations.invited_user(invitation)
    form = AcceptInvitationForm(account, request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form,
            lambda: invitations.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            ),
        )
    ):
        if request.user.is_authenticated:  # someone else's session on this browser
            logout(request)
        messages.success(
            request,
            _("Your password is set. Sign in with your e-mail address %(email)s.")
            % {"email": account.username},
        )
        return redirect("login")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "username": account.username},
        status=400 if form.errors else 200,
    )
