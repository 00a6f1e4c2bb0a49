from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from amparo.accounts import people_views, views
from amparo.accounts.forms import LoginForm, ThrottledPasswordResetForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="account-security"),
    path("two-factor/setup/", views.otp_setup, name="otp-setup"),
    path("two-factor/verify/", views.otp_verify, name="otp-verify"),
    path("two-factor/disable/", views.otp_disable, name="otp-disable"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="otp-recovery-codes"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    # Django's reset views: the same answer whether or not the address belongs to someone.
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=ThrottledPasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            extra_email_context={"organization_name": settings.AMPARO_ORGANIZATION_NAME},
            success_url=reverse_lazy("password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path("audit/", views.change_log, name="change-log"),
    path("people/", people_views.people_page, name="people"),
    path("people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("people/<int:pk>/roles/add/", people_views.membership_add, name="membership-add"),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/",
        people_views.membership_edit,
        name="membership-edit",
    ),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/remove/",
        people_views.membership_remove,
        name="membership-remove",
    ),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person-reactivate"),
    path(
        "people/<int:pk>/two-factor-reset/",
        people_views.second_factor_reset,
        name="second-factor-reset",
    ),
    path("invitations/new/", people_views.invitation_new, name="invitation-new"),
    path("invitations/<int:pk>/resend/", people_views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", people_views.invitation_revoke, name="invitation-revoke"),
    path("invitation/<str:token>/", people_views.invitation_accept, name="invitation-accept"),
]
