from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0016_field_confirmation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportbatch",
            name="shape",
            field=models.CharField(
                choices=[
                    ("wide", "CSV, one row per page"),
                    ("long", "CSV, one row per field (audit)"),
                    ("json", "JSON, CLOVA-shaped with corrections"),
                    ("xlsx_wide", "Excel (XLSX), one row per page"),
                    ("xlsx_long", "Excel (XLSX), one row per field (audit)"),
                ],
                default="wide",
                max_length=16,
                verbose_name="shape",
            ),
        ),
    ]
