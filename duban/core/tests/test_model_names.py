"""Chinese nouns have no plural: every Duban model is named once, and that name serves for many rows too."""

from django.apps import apps


def test_every_model_is_named_in_chinese_once_for_one_row_and_many():
    for model in apps.get_models():
        if not model.__module__.startswith("duban."):
            continue
        meta = model._meta
        assert str(meta.verbose_name_plural) == str(meta.verbose_name), model
        assert not str(meta.verbose_name).isascii(), f"{model.__name__} has no Chinese name"
