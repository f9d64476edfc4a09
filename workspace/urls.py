from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:key>/", views.AcceptInvitationView.as_view(), name="accept-invitation"),
    path("confirm/<str:iso3>/", views.confirm_current, name="confirm-current"),
    path("cases/new/", views.case_create, name="case-create"),
    path(
        "cases/download.<str:suffix>",
        views.cases_download,
        name="cases-download",
    ),
    path("cases/<slug:slug>/", views.case_edit, name="case-edit"),
    path("cases/<slug:slug>/preview/", views.case_preview, name="case-preview"),
    path("cases/<slug:slug>/submit/", views.case_submit, name="case-submit"),
    path("cases/<slug:slug>/delete/", views.case_delete, name="case-delete"),
    path("cases/<slug:slug>/documents/", views.document_upload, name="document-upload"),
    path(
        "cases/<slug:slug>/documents/<int:pk>/",
        views.document_edit,
        name="document-edit",
    ),
    path(
        "cases/<slug:slug>/documents/<int:pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("cases/<slug:slug>/comments/", views.comment_add, name="comment-add"),
    path(
        "cases/<slug:slug>/translations/new/",
        views.translation_create,
        name="translation-create",
    ),
    path(
        "cases/<slug:slug>/translations/<str:language>/",
        views.translation_edit,
        name="translation-edit",
    ),
    path(
        "cases/<slug:slug>/translations/<str:language>/delete/",
        views.translation_delete,
        name="translation-delete",
    ),
    path("countries/<str:iso3>/events/", views.country_events, name="country-events"),
    path(
        "events/<slug:slug>/contributions/new/",
        views.contribution_create,
        name="contribution-create",
    ),
    path("contributions/<int:pk>/", views.contribution_edit, name="contribution-edit"),
    path("contributions/<int:pk>/submit/", views.contribution_submit, name="contribution-submit"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution-delete"),
    path(
        "contributions/<int:pk>/documents/",
        views.contribution_upload,
        name="contribution-upload",
    ),
]
