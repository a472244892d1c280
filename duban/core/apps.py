from django.apps import AppConfig
from django.db.models.signals import class_prepared
from django.utils.translation import gettext_lazy as _


def _one_name(sender, **kwargs):
    """Chinese nouns have no plural: a Duban model names itself once (`verbose_name`), and that name
    serves for one row and for many, unless the model says otherwise."""
    meta = sender._meta
    if sender.__module__.startswith("duban.") and "verbose_name_plural" not in meta.original_attrs:
        meta.verbose_name_plural = meta.verbose_name


# Connected when the app registry loads the app configs, before any model class is built.
class_prepared.connect(_one_name)


class CoreConfig(AppConfig):
    name = "duban.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import lookups  # noqa: F401  registers `field__any_of=subquery`
