"""The API's one permission class: each view declares the role each of its actions needs.

As pretix declares a `permission` per view, a view here declares `roles`, a mapping from an
action (`list`, `create`, `publish` ...) to one of the roles below, or to a mapping from an
HTTP method to a role for actions that answer several. What each role means is defined
once, in `paks.roles`. Reading is open unless declared otherwise; a write that a view has
not declared is refused, so a new action is never open by mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import ApiToken
from paks import roles
from paks.api.authentication import token_of
from paks.models import Contribution

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ANYONE = "anyone"
SIGNED_IN = "signed in"
CONTRIBUTOR = "focal point or editor"  # of the case's (contribution's) country, for one
EDITOR = "editor"


def required_role(method: str | None, view: Any) -> str | None:
    """The role the view declares for its current action and this HTTP method."""
    declared = getattr(view, "required_roles", {}).get(getattr(view, "action", None))
    if isinstance(declared, dict):
        declared = declared.get(method)
    if declared is None and method in SAFE_METHODS:
        return ANYONE
    return declared


def _may_not_create(noun: str) -> str:
    """The refusal to create a view's resource (its `resource_name`), one sentence each."""
    refusals = {
        "case": gettext("Only country focal points and editors may create cases."),
        "contribution": gettext("Only country focal points and editors may create contributions."),
        "webhook endpoint": gettext(
            "Only country focal points and editors may create webhook endpoints."
        ),
    }
    return refusals.get(noun, gettext("Your account may not do this."))


class Roles(BasePermission):
    message: str | _StrPromise = _("Your account may not do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", "") is None:
            return True  # no handler for the method: the view answers 405
        token = token_of(request)
        writes = request.method not in SAFE_METHODS
        if writes and token is not None and token.scope == ApiToken.Scope.READ:
            self.message = gettext(
                "This token is read-only: it may read but change nothing. "
                "Use a token with the write scope."
            )
            self.code = "read_only_token"
            return False
        role = required_role(request.method, view)
        if role is None:
            return False
        if role == ANYONE:
            return True
        if not request.user.is_authenticated:
            return False  # DRF answers 401 when a credential would help
        if role == CONTRIBUTOR and not getattr(view, "detail", False):
            noun = getattr(view, "resource_name", "case")
            self.message = _may_not_create(noun)
            return roles.may_create_cases(request.user)  # a new one, of one's own country
        return True  # decided on the object (`has_object_permission`) or signed in enough

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        role = required_role(request.method, view)
        if role == CONTRIBUTOR and isinstance(obj, Contribution):
            self.message = gettext(
                "Only the country's focal points and editors may change this contribution."
            )
            return roles.works_on_contribution(request.user, obj)
        if role == CONTRIBUTOR:
            self.message = gettext(
                "Only the country's focal points and editors may change this case."
            )
            return roles.works_on(request.user, obj)
        if role == EDITOR:
            self.message = gettext("Only editors may do this.")
            return roles.may_review(request.user)
        return role in (ANYONE, SIGNED_IN)
