from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0014_people_and_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="claimed_tab",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="claimed in tab"),
        ),
    ]
