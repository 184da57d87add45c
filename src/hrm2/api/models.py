"""Row counts and change versions of hot tables, kept by database triggers (hrm2.api.tally)."""

from django.db import models


class TableTally(models.Model):
    """One row per tallied table: how many rows it has, and a number that grows on every
    insert, update or delete, so a cached count can tell it is out of date."""

    table_name = models.CharField(max_length=63, primary_key=True)
    row_count = models.BigIntegerField()
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.table_name}: {self.row_count} rows (version {self.version})"
