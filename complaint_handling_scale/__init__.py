from . import models


def uninstall_hook(env):
    """Drop the SQL objects of the pre-aggregated complaint counts, which Odoo does not know of."""
    from .models.complaint_count_summary import drop_count_summary  # noqa: PLC0415

    drop_count_summary(env.cr)
