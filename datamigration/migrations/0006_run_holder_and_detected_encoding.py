from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("datamigration", "0005_parallel_chunks"),
    ]

    operations = [
        migrations.AddField(
            model_name="migrationrun",
            name="holder_host",
            field=models.CharField(blank=True, max_length=255, verbose_name="worker host"),
        ),
        migrations.AddField(
            model_name="migrationrun",
            name="holder_pid",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="worker process id"),
        ),
        migrations.AddField(
            model_name="migrationrun",
            name="holder_started",
            field=models.CharField(blank=True, max_length=64, verbose_name="worker process start"),
        ),
        migrations.AddField(
            model_name="migrationrun",
            name="takeovers",
            field=models.PositiveIntegerField(
                default=0,
                help_text="How often another worker took the run over from a stopped one.",
                verbose_name="takeovers",
            ),
        ),
        migrations.AddField(
            model_name="migrationrun",
            name="last_takeover",
            field=models.CharField(
                blank=True,
                choices=[
                    ("holder_gone", "its worker process had stopped"),
                    ("lease_expired", "its worker's lease had expired"),
                ],
                help_text="Why it was taken over.",
                max_length=16,
                verbose_name="last takeover",
            ),
        ),
        migrations.AddField(
            model_name="upload",
            name="detected_encoding",
            field=models.CharField(
                blank=True,
                help_text="What the content looks like, when it reads differently in the chosen encoding.",
                max_length=32,
                verbose_name="detected encoding",
            ),
        ),
    ]
