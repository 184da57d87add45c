from django.contrib import admin

from hrm2.positions.models import CriteriaVersion, Position


class CriteriaVersionInline(admin.TabularInline):
    model = CriteriaVersion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "criteria", "created_by", "created_at")


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "department", "is_active", "saved_at")
    list_filter = ("is_active",)
    search_fields = ("title", "department")
    inlines = [CriteriaVersionInline]
