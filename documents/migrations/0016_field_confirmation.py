from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0015_document_claimed_tab"),
    ]

    operations = [
        migrations.AddField(
            model_name="field",
            name="confirmed",
            field=models.BooleanField(default=False, verbose_name="confirmed"),
        ),
        migrations.AddField(
            model_name="template",
            name="require_confirmation",
            field=models.BooleanField(
                default=False,
                help_text="Approval waits until every low-confidence field and cell is confirmed or corrected.",
                verbose_name="approval requires low-confidence fields confirmed",
            ),
        ),
        migrations.AlterField(
            model_name="fieldedit",
            name="action",
            field=models.CharField(
                choices=[
                    ("text", "Text corrected"),
                    ("checked", "Checkbox set"),
                    ("cell", "Multi-box cell corrected"),
                    ("revert", "Reverted to the OCR value"),
                    ("confirm", "Confirmed as read"),
                    ("conflict", "Refused: the field had changed meanwhile"),
                    ("table_cell", "Table cell corrected"),
                ],
                max_length=16,
                verbose_name="action",
            ),
        ),
    ]
