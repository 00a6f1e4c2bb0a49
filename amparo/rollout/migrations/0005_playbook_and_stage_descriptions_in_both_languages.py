from django.db import migrations, models


def _in_both_languages(model_name: str) -> list:
    # The existing text is Spanish: it moves into description_es, English starts empty.
    return [
        migrations.RenameField(
            model_name=model_name, old_name="description", new_name="description_es"
        ),
        migrations.AlterField(
            model_name=model_name,
            name="description_es",
            field=models.TextField(blank=True, verbose_name="description (Spanish)"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description (English)"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0004_event_version_historicalevent_version_and_more"),
    ]

    operations = [
        *_in_both_languages("playbook"),
        *_in_both_languages("historicalplaybook"),
        *_in_both_languages("stage"),
        *_in_both_languages("historicalstage"),
    ]
