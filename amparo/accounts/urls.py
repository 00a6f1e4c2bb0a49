from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from amparo.accounts import views
from amparo.accounts.forms import LoginForm

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
    path("audit/", views.change_log, name="change-log"),
]
