"""Triggers that keep the resume count and change version (hrm2.api.tally)."""

from django.db import migrations

from hrm2.api import tally


def install(apps, schema_editor):
    tally.install(schema_editor, "resumes_resume")


def uninstall(apps, schema_editor):
    tally.uninstall(schema_editor, "resumes_resume")


class Migration(migrations.Migration):
    dependencies = [
        ("resumes", "0003_confirmed_score"),
        ("hrm2_api", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
