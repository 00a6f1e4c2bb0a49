"""The fields every row the catalog loads by code carries, so that one set of rules
(``amparo/catalog/sync.py``) keeps users' work for every kind of row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogSynced(models.Model):
    """Whether the row came from the catalog, whether users changed it since, and the
    fingerprint of the catalog entry it was last compared with."""

    from_catalog = models.BooleanField(_("from the starter catalog"), default=False)
    edited = models.BooleanField(
        _("edited by users"),
        default=False,
        help_text=_("Catalog updates do not overwrite an edited entry; they are reported."),
    )
    # The catalog entry as last loaded (or, for a row users created with a catalog code, as
    # last reported), so a user's row is listed only when the catalog itself changes
    # afterwards, not on every load.
    catalog_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True
