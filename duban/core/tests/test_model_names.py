"""Chinese nouns have no plural: every Duban model is named once, and that name serves for many rows too."""

from django.apps import apps


def test_every_model_is_named_in_chinese_once_for_one_row_and_many():
    for model in apps.get_models():
        if not model.__module__.startswith("duban."):
            continue
        meta = model._meta
        assert str(meta.verbose_name_plural) == str(meta.verbose_name), model
        assert not str(meta.verbose_name).isascii(), f"{model.__name__} has no Chinese name"


def test_the_models_and_their_migrations_agree(db):
    # A model change without its migration would pass every test here and fail on deployment.
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
