"""Webhook endpoints and their delivery log. An endpoint whose deliveries failed for good
five times in a row turns itself off; tick "active" to turn it on again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from paks.webhooks import EVENTS
from paks.webhooks.delivery import retry_now, send_test
from paks.webhooks.models import Delivery, Endpoint
from paks.webhooks.services import save_endpoint


class EndpointForm(forms.ModelForm[Endpoint]):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        # The events' names, as deliveries carry them: not translated.
        choices=[(name, name) for name in EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Endpoint
        fields = ["owner", "url", "description", "events", "active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin[Endpoint]):
    form = EndpointForm
    list_display = ["url", "owner", "active", "event_list", "consecutive_failures", "created_at"]
    list_filter = ["active"]
    list_select_related = ["owner"]
    search_fields = ["url", "description", "owner__email"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["scope", "secret", "consecutive_failures", "log", "created_at"]
    fields = [
        "owner",
        "url",
        "description",
        "events",
        "active",
        "scope",
        "secret",
        "consecutive_failures",
        "log",
        "created_at",
    ]
    actions = ["send_test_ping"]

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, obj: Endpoint) -> str:
        return ", ".join(obj.events)

    @admin.display(description=gettext_lazy("deliveries"))
    def log(self, obj: Endpoint) -> str:
        if not obj.pk:
            return "-"
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        count = obj.deliveries.count()
        # Translators: English writes "deliveries" whatever the number.
        shown = ngettext("%(count)s deliveries", "%(count)s deliveries", count)
        return format_html('<a href="{}">{}</a>', url, shown % {"count": count})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The key signs the owner's deliveries; only the owner reads it.
        mine = obj is not None and obj.owner_id == request.user.pk
        return [name for name in self.fields if name != "secret" or mine]

    def save_model(self, request: HttpRequest, obj: Endpoint, form: Any, change: bool) -> None:
        save_endpoint(obj)

    @admin.action(
        description=gettext_lazy("Send a test ping to the selected endpoints"),
        permissions=["change"],
    )
    def send_test_ping(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            delivery = send_test(endpoint)
            if delivery.status == Delivery.Status.SUCCEEDED:
                message = _("Test ping to %(url)s: answered %(code)s.") % {
                    "url": endpoint.url,
                    "code": delivery.response_code,
                }
                self.message_user(request, message, messages.SUCCESS)
            else:
                message = _("Test ping to %(url)s failed: %(error)s") % {
                    "url": endpoint.url,
                    "error": delivery.error or _("no answer"),
                }
                self.message_user(request, message, messages.ERROR)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """The log: read-only; failed deliveries can be sent again."""

    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "error",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint__active"]
    list_select_related = ["endpoint"]
    search_fields = ["event_id", "endpoint__url"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the log is as it happened; "send again" needs the change permission

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(
        description=gettext_lazy("Retry the selected deliveries now"), permissions=["retry"]
    )
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = retry_now(queryset)
        message = ngettext(
            # Translators: English writes "deliveries" whatever the number.
            "%(count)s deliveries queued again (only failed or pending ones to active endpoints).",
            "%(count)s deliveries queued again (only failed or pending ones to active endpoints).",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
