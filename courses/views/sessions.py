"""Views: sessions."""

urlpatterns: list = []
