from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from groups.admin import SchoolScopedAdmin

from . import services
from .models import MailDelivery, MailRun

State = MailDelivery.State


@admin.register(MailRun)
class MailRunAdmin(SchoolScopedAdmin):
    list_display = (
        "kind",
        "period_key",
        "school",
        "recipients",
        "sent",
        "skipped",
        "nothing_new",
        "opted_out",
        "failed",
        "unknown",
        "finished_at",
    )
    list_filter = ("kind",)
    list_select_related = ("school",)
    readonly_fields = ("kind", "period_key", "school", "payload", "created_at", "finished_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_all=Count("deliveries"),
                n_sent=Count("deliveries", filter=Q(deliveries__state=State.SENT)),
                n_skipped=Count("deliveries", filter=Q(deliveries__state=State.SKIPPED)),
                n_nothing_new=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__state=State.SKIPPED,
                        deliveries__note=services.SKIP_NOTHING_NEW,
                    ),
                ),
                n_opted_out=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__state=State.SKIPPED,
                        deliveries__note=services.SKIP_OPTED_OUT,
                    ),
                ),
                n_failed=Count("deliveries", filter=Q(deliveries__state=State.FAILED)),
                n_unknown=Count("deliveries", filter=Q(deliveries__state=State.UNKNOWN)),
            )
        )

    def _link(self, run, state, count, note=None):
        url = reverse("admin:mailings_maildelivery_changelist") + f"?run__id__exact={run.pk}"
        if state:
            url += f"&state__exact={state}"
        if note:
            url += "&" + urlencode({"note": note})
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description=_("recipients"))
    def recipients(self, run):
        return self._link(run, None, run.n_all)

    @admin.display(description=_("sent"))
    def sent(self, run):
        return self._link(run, State.SENT, run.n_sent)

    @admin.display(description=_("skipped"))
    def skipped(self, run):
        return self._link(run, State.SKIPPED, run.n_skipped)

    @admin.display(description=_("of which nothing new"))
    def nothing_new(self, run):
        return self._link(run, State.SKIPPED, run.n_nothing_new, services.SKIP_NOTHING_NEW)

    @admin.display(description=_("of which opted out"))
    def opted_out(self, run):
        return self._link(run, State.SKIPPED, run.n_opted_out, services.SKIP_OPTED_OUT)

    @admin.display(description=_("failed"))
    def failed(self, run):
        return self._link(run, State.FAILED, run.n_failed)

    @admin.display(description=_("unknown"))
    def unknown(self, run):
        return self._link(run, State.UNKNOWN, run.n_unknown)

    def has_add_permission(self, request):
        return False  # runs are made by the scheduled jobs

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailDelivery)
class MailDeliveryAdmin(SchoolScopedAdmin):
    school_path = "run__school"
    list_display = ("recipient", "run", "state", "sent_at", "note", "resent_by")
    list_filter = ("state", "run__kind")
    list_select_related = ("recipient", "run", "resent_by")
    search_fields = ("recipient__email", "recipient__full_name")
    actions = ["resend"]

    @admin.action(description=_("Resend the selected mails by hand"))
    def resend(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.mail_delivery_resend(actor=request.user, delivery=delivery)
            except ValidationError as error:
                self.message_user(
                    request, f"{delivery.recipient}: {error.messages[0]}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d mail(s) will be sent again.") % {"count": done})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
