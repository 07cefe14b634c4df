"""Demo site content: the home page, the 'Vid oro' contacts and site settings.

The text is our own, written from the facts of the district's action plan.
"""

from django.db import transaction
from wagtail.models import Page, Site

from cms.models import ConcernContact, HomePage, SiteSettings, StandardPage
from tests.factories import wagtail_roots_ensure

CONTACTS = [
    (
        "Mottagningsgruppen, försörjningsstöd",
        "Lokal kontaktperson vid oro för att någon dras till en våldsbejakande miljö "
        "(beredskapstelefon)",
        "08-508 22 605",
        10,
    ),
    (
        "Mottagningsgruppen, barn och ungdom",
        "Orosanmälan när det gäller barn och unga under 18 år",
        "08-508 22 300",
        20,
    ),
    (
        "Orostelefonen",
        "Nationell stödtelefon för anhöriga och andra som känner oro",
        "020 100 200",
        30,
    ),
    (
        "Center mot våldsbejakande extremism (CVE)",
        "Råd och stöd till yrkesverksamma i förebyggande arbete",
        "08-527 44 290",
        40,
    ),
    ("Polisen", "Tips om brott och misstankar, ej akut", "114 14", 50),
]

HOME_INTRO = (
    "<p>Här hittar du förvaltningens utbildningar, inspelade föreläsningar och stödmaterial "
    "i arbetet mot våldsbejakande extremism. Alla medarbetare går grundutbildningen, och "
    "prioriterade yrkesgrupper går dessutom en fördjupning.</p>"
)

ABOUT_BODY = (
    "<p>Stadsdelsförvaltningen har en lokal handlingsplan mot våldsbejakande extremism. "
    "Planen bygger på stadens program och riktar sig till alla verksamheter: social omsorg, "
    "förskola, fritid och fält, äldreomsorg och samhällsplanering.</p>"
    "<p>Arbetet sker på tre nivåer. Det <b>universella</b> arbetet riktar sig till alla och "
    "stärker skyddsfaktorer. Det <b>selektiva</b> arbetet riktar sig till grupper med förhöjd "
    "risk. Det <b>indikerade</b> arbetet gäller enskilda personer där det finns en konkret oro.</p>"
    "<p>En preventionssamordnare leder en arbetsgrupp med nyckelpersoner från olika "
    "verksamheter. Arbetet följs upp varje tertial och i verksamhetsberättelsen.</p>"
)


@transaction.atomic
def seed_site(*, stdout=None) -> HomePage:
    root = wagtail_roots_ensure()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Utbildning mot våldsbejakande extremism", slug="start", intro=HOME_INTRO
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Utbildning",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Utbildning"
        site.save()
        # Wagtail's welcome page is no longer reachable; remove it.
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()

    if not StandardPage.objects.filter(slug="om-handlingsplanen").exists():
        about = home.add_child(
            instance=StandardPage(
                title="Om handlingsplanen",
                slug="om-handlingsplanen",
                intro="Varför vi utbildar och hur arbetet är organiserat.",
                body=ABOUT_BODY,
                show_in_menus=True,
            )
        )
        about.save_revision().publish()

    for name, role, phone, order in CONTACTS:
        ConcernContact.objects.update_or_create(
            name=name, defaults={"role": role, "phone": phone, "sort_order": order}
        )
    site_settings = SiteSettings.for_site(site)
    site_settings.administration_name = "Hägersten-Liljeholmens stadsdelsförvaltning"
    site_settings.signatory_name = site_settings.signatory_name or "Sanna Mattsson"
    site_settings.signatory_title = site_settings.signatory_title or "Preventionssamordnare"
    site_settings.save()
    if stdout:
        stdout.write("Site: home page, contacts and settings ready.")
    return home
