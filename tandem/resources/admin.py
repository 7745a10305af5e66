from django.contrib import admin

from .models import Comment, Resource, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "filename", "url", "content_type", "size", "change_note", "created_at"]
    readonly_fields = fields


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "visibility", "status", "featured", "owner"]
    list_filter = ["status", "visibility", "kind", "language", "featured"]
    search_fields = ["title", "description"]
    raw_id_fields = ["owner", "cohort", "partnership", "reviewed_by"]
    exclude = ["search_vector"]
    inlines = [VersionInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["resource", "author", "created_at"]
    raw_id_fields = ["resource", "author"]
