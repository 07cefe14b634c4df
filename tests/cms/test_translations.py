"""Swedish is the default language: every message must have a Swedish translation."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_message_has_a_swedish_translation():
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            # Each plural form may leave out the count, but must not invent a placeholder.
            source = set(pattern.findall(entry.msgid)) | set(pattern.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                assert set(pattern.findall(form)) <= source, entry.msgid
                assert form, entry.msgid
        else:
            assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
                entry.msgid
            )
