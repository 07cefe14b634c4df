"""Certificates, mounted at /certificates/."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/zip/", views.staff_zip, name="staff_zip"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
