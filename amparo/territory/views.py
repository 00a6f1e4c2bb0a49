"""Pages for regions, organizations and contacts. Access is decided in ``access.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.audit import object_history
from amparo.partnerships.models import NextStep
from amparo.partnerships.queries import open_steps
from amparo.rollout import queries as rollout_queries
from amparo.territory import home as home_queries
from amparo.territory import queries, services
from amparo.territory.forms import ContactForm, OrganizationForm
from amparo.territory.models import Region


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs the reader and where the program stands; a member of one region only
    (not a program admin) lands on that region's work."""
    visible = access.regions_visible(request.user)
    admin = access.is_program_admin(request.user)
    regions = list(visible.order_by("name")[:2])
    return render(
        request,
        "territory/home.html",
        {
            "work": home_queries.my_work(request.user, timezone.localdate()),
            "map": home_queries.program_map(request.user, visible) if regions else None,
            "own_region": regions[0] if len(regions) == 1 and not admin else None,
            "program_admin": admin,
            "has_regions": bool(regions),
        },
    )


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    organizations = queries.region_organizations(
        queries.organizations_visible(request.user, region)
    )
    return render(
        request,
        "territory/region_detail.html",
        {
            "region": region,
            "organizations": organizations,
            "can_change": access.can(request.user, Capability.CHANGE_REGION, region),
            # Partner staff's details: the region's coordinators and program admins only.
            "can_see_contacts": access.can(request.user, Capability.CHANGE_REGION, region),
            "open_steps": open_steps(NextStep.objects.filter(meeting__region=region)),
            "today": timezone.localdate(),
            "rollouts": rollout_queries.region_rollouts(region),
        },
    )


@login_required
def organization_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    organization = queries.organization_or_404(request.user, region, pk) if pk else None
    form = OrganizationForm(request.POST or None, instance=organization, region=region)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if organization is None:
                services.organization_create(region=region, **fields)
                messages.success(request, _("Organization created."))
            else:
                services.organization_update(organization=organization, **fields)
                messages.success(request, _("Organization saved."))
        except ValidationError as error:  # a rule the form could not see, e.g. a race
            form.add_error(None, error)
        else:
            return redirect("region-detail", code=region.code)
    return _form_page(
        request, "territory/organization_form.html", region, form, organization=organization
    )


@login_required
def contact_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    contact = queries.contact_or_404(request.user, region, pk) if pk else None
    initial = {"organization": request.GET.get("organization")} if contact is None else None
    form = ContactForm(request.POST or None, instance=contact, region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if contact is None:
                organization = fields.pop("organization")
                services.contact_create(organization=organization, **fields)
                messages.success(request, _("Contact created."))
            else:
                services.contact_update(contact=contact, **fields)
                messages.success(request, _("Contact saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("region-detail", code=region.code)
    return _form_page(request, "territory/contact_form.html", region, form, contact=contact)


def _form_page(
    request: HttpRequest, template: str, region: Region, form: ModelForm, **edited: object
) -> HttpResponse:
    """An edit form of a region's object, with the object's history when the user may see
    it; 422 when the form was refused, so scripts and tests can tell."""
    (instance,) = edited.values()
    history = (
        object_history(instance)
        if instance and access.history_visible(request.user, region)
        else []
    )
    return render(
        request,
        template,
        {"region": region, "form": form, "history": history, **edited},
        status=422 if form.errors else 200,
    )
