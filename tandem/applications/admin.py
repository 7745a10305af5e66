from django.contrib import admin

from .models import Application, ApplicationTopic


class ApplicationTopicInline(admin.TabularInline):
    model = ApplicationTopic
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "cohort", "organization", "status", "is_gap", "submitted_at"]
    list_filter = ["cohort", "status", "is_gap", "preferred_role"]
    search_fields = ["full_name", "email", "organization__name", "organization__symbol"]
    raw_id_fields = ["applicant", "organization", "decided_by"]
    inlines = [ApplicationTopicInline]
