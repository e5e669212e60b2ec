from django.db import migrations


def load_default_themes(apps, schema_editor):
    from placeworks.themes.defaults import DEFAULT_THEMES

    Theme = apps.get_model("themes", "Theme")
    for order, default in enumerate(DEFAULT_THEMES):
        parent = Theme.objects.get(slug=default.parent) if default.parent else None
        Theme.objects.get_or_create(
            slug=default.slug,
            defaults={"name": default.name, "description": default.description, "order": order, "parent": parent},
        )


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(load_default_themes, migrations.RunPython.noop)]
