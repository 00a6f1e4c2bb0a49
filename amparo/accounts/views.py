"""Account pages: two-factor sign-in, the account's security page, and the program-level
change log (program admins). Password change and reset are Django's views (see urls.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from amparo import audit
from amparo.accounts import access, second_factor, services
from amparo.accounts.forms import CodeForm, SignInCodeForm
from amparo.accounts.qr import qr_svg


@login_required
def change_log(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    model = request.GET.get("model", "")
    username = request.GET.get("user", "").strip()[:150]
    models = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in audit.tracked_models()]
    if model not in dict(models):
        model = ""
    return render(
        request,
        "audit/log.html",
        {
            "changes": audit.recent_changes(model=model, username=username),
            "models": sorted(models, key=lambda m: m[1]),
            "model": model,
            "username": username,
        },
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is given: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("home")


def _to_step(step: str, next_url: str) -> HttpResponse:
    return redirect(f"{resolve_url(step)}?{urlencode({'next': next_url})}")


def _code_refused(form: CodeForm, result: services.CodeCheck) -> None:
    if result.wait_seconds:
        form.add_error(
            "code",
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                result.wait_seconds,
            )
            % {"seconds": result.wait_seconds},
        )
    else:
        form.add_error(
            "code",
            _("That code is not valid. Enter the code the app shows now (check the phone's time)."),
        )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The account's sign-in settings: password and two-factor sign-in."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "two_factor_on": second_factor.has_app(user),
            "two_factor_required": access.two_factor_required(user),
            "recovery_codes_left": services.recovery_codes_left(user=user),
        },
    )


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show its key (QR code and text), confirm it with a code.

    A person who already has a device can replace it only from a verified session; otherwise
    a stolen password would be enough to set up a new second factor.
    """
    user = request.user
    if second_factor.step_due(user) == second_factor.VERIFY:
        return _to_step(second_factor.VERIFY, request.get_full_path())
    device = services.totp_setup_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.totp_setup_confirm(user=user, token=form.cleaned_data["code"])
        if result.accepted:
            otp_login(request, result.device)
            messages.success(request, _("Two-factor sign-in is on."))
            if not services.recovery_codes_left(user=user):
                return _show_recovery_codes(request, services.recovery_codes_issue(user=user))
            return redirect(_next_url(request))
        _code_refused(form, result)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_svg(device.config_url),
            "secret": services.totp_secret(device),
            "required": access.two_factor_required(user),
            "reset": user.must_set_up_second_factor,
            "replacing": second_factor.is_verified(user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the person's authenticator app."""
    user = request.user
    step = second_factor.step_due(user)
    if step is None:
        return redirect(_next_url(request))
    if step == second_factor.SETUP:
        return _to_step(second_factor.SETUP, _next_url(request))
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.totp_verify(user=user, token=form.cleaned_data["code"])
        if result.accepted:
            otp_login(request, result.device)
            left = services.recovery_codes_left(user=user)
            if services.is_recovery_code(form.cleaned_data["code"]):
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(left)d is left. Set up your "
                        "new phone under “Sign-in and security”.",
                        "You signed in with a recovery code; %(left)d are left. Set up your "
                        "new phone under “Sign-in and security”.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        _code_refused(form, result)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request, "accounts/recovery_codes_new.html", {"codes": codes, "next": _next_url(request)}
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and a new set (shown once) on request. Only in a
    verified session: the codes stand in for the phone."""
    user = request.user
    if not second_factor.has_app(user):
        return redirect("account-security")
    if not second_factor.is_verified(user):  # the middleware sends such sessions on first
        raise PermissionDenied
    if request.method == "POST":
        return _show_recovery_codes(request, services.recovery_codes_issue(user=user))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"left": services.recovery_codes_left(user=user)},
    )


@never_cache
@login_required
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, with a current code; program admins must keep it."""
    user = request.user
    if access.two_factor_required(user):
        raise PermissionDenied
    if not second_factor.has_app(user):
        return redirect("account-security")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.totp_disable(user=user, token=form.cleaned_data["code"])
        if result.accepted:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("account-security")
        _code_refused(form, result)
    return render(request, "accounts/two_factor_disable.html", {"form": form})
