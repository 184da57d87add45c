from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hrm2.accounts.models import User


@admin.register(User)
class HRM2UserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (*UserAdmin.fieldsets, ("HRM2", {"fields": ("role",)}))
