"""Background work: render a freshly issued certificate's PDF (see services' docstring)."""

from django_tasks import task


@task()
def certificate_render_task(*, certificate_id: int) -> str:
    from certificates.services import certificate_render

    return certificate_render(certificate_id=certificate_id).sha256
