"""Users and the memberships that scope everything a user may see or change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SignInManager(UserManager):
    """Usernames are e-mail addresses: whoever types theirs with other capitals (a phone
    capitalising the first letter) is still the same person, on every database."""

    def get_by_natural_key(self, username: str | None) -> User:
        found = list(self.filter(username__iexact=username or "")[:2])
        if len(found) == 1:
            return found[0]
        # Two accounts told apart only by capitals (made before this rule): the exact one.
        return self.get(username=username)


def sign_in_name(request: object, credentials: dict | None) -> str | None:
    """The username failed sign-ins are counted under (django-axes): in one case, so that
    changing capitals gives no fresh attempts."""
    data = credentials if credentials else getattr(request, "POST", {})
    name = data.get("username") if data else None
    return name.strip().casefold() if isinstance(name, str) else name


class User(AbstractUser):
    """A person who signs in. What they may do comes only from their memberships."""

    objects = SignInManager()

    # Set when a program admin resets a lost second factor: the person sets up a new one at
    # the next sign-in, whatever their role; cleared once a new device is confirmed.
    must_set_up_second_factor = models.BooleanField(
        _("must set up two-factor sign-in"), default=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    PROGRAM_ADMIN = "admin", _("Program admin")
    COORDINATOR = "coordinator", _("Regional coordinator")
    FOCAL_POINT = "focal_point", _("Sector focal point")
    VIEWER = "viewer", _("Viewer")


# Which role goes with which scope: an admin is program-wide, a coordinator has one region,
# a focal point one sector of one region, a viewer no sector. Memberships and the ones an
# invitation carries share it.
MEMBERSHIP_SHAPE = (
    Q(role="admin", region__isnull=True, sector__isnull=True)
    | Q(role="coordinator", region__isnull=False, sector__isnull=True)
    | Q(role="focal_point", region__isnull=False, sector__isnull=False)
    | Q(role="viewer", sector__isnull=True)
)
MEMBERSHIP_SHAPE_MESSAGE = _(
    "An admin covers all regions; a coordinator needs a region; "
    "a focal point needs a region and a sector; a viewer has no sector."
)


class Membership(models.Model):
    """A role over one region (or all regions when ``region`` is empty), maybe one sector.

    Which combinations make sense is a database constraint: an admin is program-wide, a
    coordinator has one region, a focal point one sector of one region.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("Empty means every region."),
    )
    sector = models.ForeignKey(
        "territory.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("sector"),
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=MEMBERSHIP_SHAPE,
                name="membership_scope_fits_role",
                violation_error_message=MEMBERSHIP_SHAPE_MESSAGE,
            ),
            # Three partial constraints instead of one with nulls_distinct, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(region__isnull=True, sector__isnull=True),
                name="membership_unique_program_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False, sector__isnull=True),
                name="membership_unique_in_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region", "sector"],
                condition=Q(sector__isnull=False),
                name="membership_unique_in_sector",
            ),
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region_id else _("all regions")
        if self.sector_id:
            where = f"{where} / {self.sector.code}"
        return f"{self.user} · {self.get_role_display()} · {where}"


class Invitation(models.Model):
    """An e-mail invitation to join with the memberships it carries. The link's token is
    never stored, only its SHA-256; the link works once, until ``expires_at``."""

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    history = HistoricalRecords(inherit=False, excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message=_("This address already has an open invitation."),
            ),
        ]

    def __str__(self) -> str:
        return self.email


class InvitedMembership(models.Model):
    """A membership the invited person receives on accepting; the same shapes as
    ``Membership``."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    sector = models.ForeignKey(
        "territory.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("sector"),
    )

    class Meta:
        verbose_name = _("invited membership")
        verbose_name_plural = _("invited memberships")
        constraints = [
            models.CheckConstraint(
                condition=MEMBERSHIP_SHAPE,
                name="invited_membership_scope_fits_role",
                violation_error_message=MEMBERSHIP_SHAPE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_role_display()}"


class AccessChange(models.Model):
    """A change to a person's access that is not a membership: deactivated, reactivated,
    second factor reset. Kept with its history so it shows in the change log."""

    class Kind(models.TextChoices):
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")
        SECOND_FACTOR_RESET = "second_factor_reset", _("two-factor sign-in reset")

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_changes", verbose_name=_("person")
    )
    kind = models.CharField(_("change"), max_length=30, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("access change")
        verbose_name_plural = _("access changes")

    def __str__(self) -> str:
        text = f"{self.person}: {self.get_kind_display()}"
        return f"{text} ({self.reason})" if self.reason else text
