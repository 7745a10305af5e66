from django.contrib import admin

from .models import Cohort, Topic


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_at", "closes_at", "timezone", "program_start", "program_end"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
