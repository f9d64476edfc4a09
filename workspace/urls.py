from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:key>/", views.AcceptInvitationView.as_view(), name="accept-invitation"),
    path("confirm/<str:iso3>/", views.confirm_current, name="confirm-current"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<slug:slug>/", views.case_edit, name="case-edit"),
    path("cases/<slug:slug>/preview/", views.case_preview, name="case-preview"),
    path("cases/<slug:slug>/submit/", views.case_submit, name="case-submit"),
    path("cases/<slug:slug>/delete/", views.case_delete, name="case-delete"),
    path("cases/<slug:slug>/documents/", views.document_upload, name="document-upload"),
    path(
        "cases/<slug:slug>/documents/<int:pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("cases/<slug:slug>/comments/", views.comment_add, name="comment-add"),
]
