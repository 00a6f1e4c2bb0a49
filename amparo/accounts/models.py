"""Users and the memberships that scope everything a user may see or change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. What they may do comes only from their memberships."""

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
                condition=(
                    Q(role="admin", region__isnull=True, sector__isnull=True)
                    | Q(role="coordinator", region__isnull=False, sector__isnull=True)
                    | Q(role="focal_point", region__isnull=False, sector__isnull=False)
                    | Q(role="viewer", sector__isnull=True)
                ),
                name="membership_scope_fits_role",
                violation_error_message=_(
                    "An admin covers all regions; a coordinator needs a region; "
                    "a focal point needs a region and a sector; a viewer has no sector."
                ),
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
