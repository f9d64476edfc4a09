from django.contrib import admin
from django.utils.html import format_html

from taxonomy.models import SDG, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "short_title", "swatch"]
    search_fields = ["short_title", "title"]
    ordering = ["number"]

    @admin.display(description="colour")
    def swatch(self, obj: SDG) -> str:
        # SVG's fill, not a style attribute: the Content-Security-Policy allows no inline styles.
        return format_html(
            '<svg width="24" height="16" aria-hidden="true" focusable="false">'
            '<rect width="24" height="16" fill="{}"/></svg> {}',
            obj.colour,
            obj.colour,
        )
