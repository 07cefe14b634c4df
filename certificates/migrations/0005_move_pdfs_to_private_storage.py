"""Move the certificate PDFs that earlier versions kept in public media into the private
storage, under the same names, and delete the public copies. Safe to run again: a file
already in the private storage is left as it is."""

from django.core.files.storage import default_storage, storages
from django.db import migrations


def move_to_private(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    private = storages["private"]
    for name in Certificate.objects.exclude(pdf="").values_list("pdf", flat=True).iterator():
        if not default_storage.exists(name):
            continue
        if not private.exists(name):
            with default_storage.open(name, "rb") as fh:
                saved = private.save(name, fh)
            if saved != name:  # pragma: no cover - the name was free a moment ago
                raise RuntimeError(f"private storage renamed {name} to {saved}")
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_certificate_pdf_private_storage")]

    operations = [migrations.RunPython(move_to_private, migrations.RunPython.noop)]
