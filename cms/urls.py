from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_guards, views
from cms.forms import LoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("captions/<int:document_id>.vtt", views.captions, name="captions"),
    path("lectures/<int:pk>/viewed/", views.lecture_viewed, name="lecture_viewed"),
    path("search/", views.search, name="search"),
    # Takes the place of Wagtail's own route of the same path: bulk actions on snippets
    # need the model permission (cms.admin_guards.bulk_action).
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        admin_guards.bulk_action,
        name="wagtail_bulk_action",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("certificates/", include("certificates.urls")),
]

# Uploads (lecture videos, images) with byte ranges, so a video can seek; in production
# nginx serves /media/ before a request gets here (README, "Production").
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_file)]
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.views.bad_request"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
