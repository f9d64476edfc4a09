"""Signing in and out on the public site, a person's own API tokens and preferences."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.forms import PasswordResetForm, PreferencesForm, TokenForm
from accounts.models import ApiToken, signed_in
from accounts.services import issue_token, revoke_token, set_email_language


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): a link cannot sign anyone out."""


@method_decorator([login_required, never_cache], name="dispatch")
class TokenListView(View):
    """The signed-in person's API tokens: create one (its key shown once), list, revoke."""

    template_name = "accounts/tokens.html"

    def _render(self, request: HttpRequest, form: TokenForm, **extra: Any) -> HttpResponse:
        tokens = ApiToken.objects.filter(user=signed_in(request.user)).order_by("-created_at")
        context = {"form": form, "tokens": tokens, **extra}
        return render(request, self.template_name, context, status=extra.pop("status", 200))

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        token, key = issue_token(
            user=signed_in(request.user),
            name=form.cleaned_data["name"],
            valid_for=form.validity,
        )
        # Rendered, not redirected: the key is in this one response and stored nowhere.
        return self._render(request, TokenForm(), new_token=token, new_key=key)


@require_POST
@login_required
def revoke_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("account:tokens")


@method_decorator([login_required, never_cache], name="dispatch")
class PreferencesView(View):
    """The signed-in person's preferences: the language of the e-mails PAKS sends them."""

    template_name = "accounts/preferences.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreferencesForm(initial={"language": signed_in(request.user).language})
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        set_email_language(user=signed_in(request.user), language=form.cleaned_data["language"])
        messages.success(request, _("Your preferences are saved."))
        return redirect("account:preferences")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("account:password-reset-sent")
    extra_email_context = {"site_name": "PAKS"}


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("account:sign-in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(audit.Action.PASSWORD_RESET, actor=form.user, request=self.request)
        messages.success(self.request, _("Your password is changed. Sign in with it now."))
        return response
