"""Demo accessibility statement (tillgänglighetsredogörelse) with this product's real known
limits, in Swedish, after DIGG's model statement. Created once (found by its slug).

The known problems are those we know of: the Wagtail admin's own axe findings (listed by
tests/e2e on the coordinators' admin pages), PDFs that are not ours, third-party SCORM
packages, and audio description of the recorded lectures.
"""

import datetime

from cms.models import AccessibilityProblem, AccessibilityStatementPage, LecturePage

SLUG = "tillganglighet"

# Lectures whose speaker says everything shown (WCAG 1.2.5 then needs no audio description);
# the other demo lecture has neither, and is a known problem below.
DESCRIBED_BY_SPEAKER = {
    "forsvarshogskolan-februari-2026": (
        "Föreläsningen visar bara föreläsaren och bilder med rubriker som föreläsaren läser "
        "upp. Allt som visas sägs också, så ingen syntolkning behövs."
    ),
}

PROBLEMS = [
    (
        "Föreläsningen ”Propaganda och påverkan på nätet” (FOI, maj 2026) visar exempel på "
        "inlägg och bilder från sociala medier som föreläsaren inte beskriver i ord. Det finns "
        "ännu ingen syntolkad version. Textning och en fullständig transkribering finns.",
        "1.2.5 Syntolkning (förinspelad)",
        datetime.date(2027, 3, 31),
    ),
    (
        "Administrationsgränssnittet för redaktörer och samordnare (Wagtail) har brister som "
        "vi inte kan rätta själva: textredigeraren för formaterad text (Draftail) saknar ett "
        "namn som skärmläsare kan läsa upp, och verktygsfältet som inloggade redaktörer och "
        "samordnare ser på webbplatsens sidor lägger till områden utan namn. Vi rapporterar "
        "bristerna till Wagtail och kontrollerar dem vid varje uppgradering; våra egna delar "
        "av administrationen testas så att de inte lägger till några nya.",
        "4.1.2 Namn, roll, värde; 1.3.1 Information och relationer",
        datetime.date(2027, 6, 30),
    ),
    (
        "E-kurser i SCORM-format kommer från andra utgivare och körs som de levererats. Vi "
        "kan inte ändra deras innehåll, och vissa kan "
        "sakna textalternativ eller gå att använda bara med mus. Kontakta oss om en kurs inte "
        "fungerar för dig, så ordnar vi ett annat sätt att gå utbildningen, till exempel på "
        "ett lärarlett tillfälle.",
        "2.1.1 Tangentbord, 1.1.1 Icke-textuellt innehåll",
        None,
    ),
    (
        "Äldre PDF-dokument under Stöd och material (rapporter och metodmaterial från andra "
        "myndigheter) är inte alltid taggade för skärmläsare. Kursintyg och "
        "uppföljningsrapporter som webbplatsen själv skapar är taggade PDF-filer (PDF/UA).",
        "1.3.1 Information och relationer",
        datetime.date(2027, 12, 31),
    ),
]

INTRO = (
    "<p>Webbplatsen används för utbildning mot våldsbejakande extremism: kurser, inspelade "
    "föreläsningar, stöd och material samt uppföljning för chefer och samordnare.</p>"
)
ALTERNATIVES = (
    "<p>Om du behöver innehåll från webbplatsen i ett annat format, till exempel en "
    "föreläsning som syntolkad text, ett dokument som tillgänglig PDF eller en utbildning "
    "som lärarlett tillfälle i stället för e-kurs, kontakta oss så hjälper vi dig.</p>"
)
CONTACT = (
    "<p>Beskriv vilken sida eller vilket dokument det gäller och vad som inte fungerar. Du "
    "kan också vända dig till din chef eller till förvaltningens preventionssamordnare.</p>"
)
NOT_COVERED = (
    "<p>Innehåll från tredje part som vi varken finansierar, utvecklar eller kontrollerar, "
    "till exempel rapporter från andra myndigheter som vi länkar till, omfattas inte av "
    "lagen. Det gör inte heller inspelade ljud- och videoklipp som publicerades före den 23 "
    "september 2020.</p>"
)
METHOD = (
    "<p>Vi testar webbplatsens sidor automatiskt med verktyget axe i varje ny version: inga "
    "fel tillåts på de publika sidorna, och i administrationen bara Wagtails egna kända "
    "brister. Kursintyg och uppföljningsrapporter kontrolleras som taggade PDF-filer (PDF/UA). "
    "En manuell granskning med tangentbord och skärmläsare är planerad till våren 2027.</p>"
)


def seed_statement(home) -> AccessibilityStatementPage:
    """The statement under the home page (created and published once) and the demo
    lectures' audio description reasons."""
    for slug, reason in DESCRIBED_BY_SPEAKER.items():
        LecturePage.objects.filter(slug=slug, audio_description_not_needed="").update(
            audio_description_not_needed=reason
        )
    existing = AccessibilityStatementPage.objects.child_of(home).filter(slug=SLUG).first()
    if existing is not None:
        return existing
    page = AccessibilityStatementPage(
        slug=SLUG,
        title="Tillgänglighetsredogörelse",
        search_description="Hur webbplatsen uppfyller lagen om tillgänglighet till digital "
        "offentlig service, kända brister och hur du rapporterar problem.",
        organisation="Hägersten-Liljeholmens stadsdelsförvaltning, Stockholms stad",
        intro=INTRO,
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        alternatives=ALTERNATIVES,
        contact_email="tillganglighet.hagersten-liljeholmen@example.se",
        contact_phone="08-508 00 000",
        contact_text=CONTACT,
        response_time="Vi svarar inom fem arbetsdagar.",
        not_covered=NOT_COVERED,
        method=AccessibilityStatementPage.Method.SELF,
        assessed_by="Förvaltningens digitaliseringsenhet",
        assessed_on=datetime.date(2026, 11, 20),
        method_text=METHOD,
        site_published_on=datetime.date(2026, 2, 2),
        reviewed_on=datetime.date(2026, 12, 1),
    )
    page.problems = [
        AccessibilityProblem(
            description=description, criterion=criterion, fix_planned_on=date, sort_order=n
        )
        for n, (description, criterion, date) in enumerate(PROBLEMS)
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
