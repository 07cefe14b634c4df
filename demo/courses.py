"""Demo courses: the catalogue, the basic course and the advanced course for intake units.

The Swedish text is our own, written from the facts of the district's action plan. Running
it again changes nothing: every page is looked up by its slug first, and the learners'
records are only added when they are missing.
"""

import datetime
import json
import uuid

from django.db import transaction
from django.utils import timezone

from cms.models import HomePage
from courses.models import (
    Completion,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    ModuleProgress,
    StaffMember,
    TargetGroup,
)
from courses.services.learning import module_complete
from demo.video import TRANSCRIPT_HTML
from tests.cms.factories import sample_video

READ, VIDEO = ModulePage.Rule.READ, ModulePage.Rule.VIDEO
# The quizzes step (demo/quizzes.py) adds the knowledge test and only then makes passing
# it the rule: a module with rule "quiz" and no test cannot be saved.
TEST_MODULE = ("kunskapstest", "Kunskapstest", READ, [])


def _text(html):
    return ("text", html)


def _fact(heading, html):
    return ("fact_box", {"heading": heading, "text": html})


BASIC_MODULES = [
    (
        "definitioner",
        "Vad menas med våldsbejakande extremism?",
        READ,
        [
            _text(
                "<p>Med våldsbejakande extremism menar vi rörelser, idéer och miljöer som "
                "godtar våld, och ibland uppmanar till det, för att nå ideologiska mål. Gemensamt "
                "för dem är att de förkastar demokratin som sätt att styra samhället.</p>"
                "<p>Det kan ta sig många former: trakasserier och hot mot enskilda, att någon "
                "skadar andra, men också att man stöder, planerar eller uppmuntrar andra att "
                "begå ideologiskt motiverat våld eller terrorbrott.</p>"
                "<h2>Tre begrepp att hålla isär</h2>"
                "<ul><li><b>Våldsbejakande</b> beskriver handlingen: att delta i, stödja eller "
                "uppmana till våld för en sak.</li>"
                "<li><b>Extremism</b> beskriver hållningen: att inte godta att samhället "
                "förändras genom demokratiska beslut, eller att använda extrema metoder för "
                "att ändra det.</li>"
                "<li><b>Radikalisering</b> är processen som leder fram till att en person eller "
                "grupp stöder eller använder ideologiskt våld. Förloppet liknar sig ofta "
                "oavsett vilken ideologi det gäller.</li></ul>"
            ),
        ],
    ),
    (
        "tre-miljoer",
        "De tre våldsbejakande miljöerna",
        READ,
        [
            _text(
                "<p>Säkerhetspolisen delar in den våldsbejakande extremismen i Sverige i tre "
                "huvudsakliga miljöer. Utöver dem finns personer som agerar på egen hand, "
                "drivna av olika ideologier men utan att höra till någon grupp.</p>"
                "<h2>Vit makt-miljön</h2>"
                "<p>Målet är ett samhälle där bara en etnisk grupp ryms. Människor delas in i "
                "raser och invandring ses som ett hot. Många i miljön har tagit intryck av "
                "nationalsocialismen och vill ha ett auktoritärt styre. På senare år talar man "
                "oftare om kultur än om ras och kallar sig gärna patrioter.</p>"
                "<h2>Den autonoma miljön</h2>"
                "<p>Här eftersträvas ett samhälle utan stat och klasser, där folket styr sig "
                "självt. Dagens demokrati anses styrd av kapitalet, och en del grupper menar "
                "att förändring bara kan nås genom revolution.</p>"
                "<h2>Våldsbejakande islamistisk extremism</h2>"
                "<p>Miljön inspireras av salafistisk jihadism, samma ideologiska grund som "
                "al-Qaida och Islamiska staten (IS). Våld mot civila motiveras som hämnd och "
                "målet är ett religiöst styre som ska införas med våld.</p>"
            ),
            _fact(
                "Bra att veta",
                "<p>I alla tre miljöerna används våld, hot och trakasserier för att hindra "
                "människor från att mötas, göra sitt arbete eller säga vad de tycker. "
                "Säkerhetspolisen bedömer att ensamma gärningspersoner med våldsbejakande "
                "islamistisk motivation utgör det största hotet i dag.</p>",
            ),
        ],
    ),
    (
        "forebygga-och-forhindra",
        "Förebygga och förhindra på tre nivåer",
        VIDEO,
        [
            _text(
                "<p>Se filmen till slut. Modulen räknas som klar när du har sett minst 90 "
                "procent av den.</p>"
            ),
            ("video", None),
            _text(
                "<h2>Universell nivå – för alla</h2>"
                "<p>Insatser som inte skiljer på hög och låg risk: demokratiarbete, "
                "värdegrundsarbete i förskolan, föräldrastöd och feriejobb för unga.</p>"
                "<h2>Selektiv nivå – för grupper med förhöjd risk</h2>"
                "<p>Insatser för grupper där flera riskfaktorer finns, till exempel "
                "gruppverksamhet för unga på fritiden eller samtal om demokrati när någon "
                "uttrycker extrema åsikter.</p>"
                "<h2>Indikerad nivå – för enskilda</h2>"
                "<p>Stöd till en person som redan är i riskzonen: individuellt stöd, stöd till "
                "anhöriga och hjälp att klara skolan.</p>"
                "<p>Det <b>förhindrande</b> arbetet riktar sig till den som är på väg in i, "
                "eller redan finns i, en våldsbejakande miljö. Dit hör också att förvaltningen "
                "inte hyr ut lokaler eller ger bidrag till föreningar som inte följer "
                "demokratiska principer.</p>"
            ),
        ],
    ),
    (
        "vid-oro",
        "Om du känner oro – rutiner och nummer",
        READ,
        [
            _text(
                "<p>Stockholms stad har rutiner för vad du gör när du blir orolig för att "
                "någon dras till en våldsbejakande miljö. Du behöver inte vara säker – det "
                "räcker att du är orolig.</p>"
                "<ol><li>Om det finns ett <b>konkret hot</b>: ring polisen på <b>112</b> "
                "direkt.</li>"
                "<li>Har du sett tecken på radikalisering, berätta för din närmaste chef med "
                "en gång.</li>"
                "<li>Gäller det någon <b>under 18 år</b>: gör en orosanmälan till "
                "socialtjänsten utan dröjsmål.</li>"
                "<li>Tips till polisen som inte är akuta lämnar du på <b>114 14</b>.</li></ol>"
            ),
            _fact(
                "Nummer att spara",
                "<ul><li>Mottagningsgruppens beredskapstelefon (lokal kontakt i förvaltningen): "
                "<b>08-508 22 605</b></li>"
                "<li>Orostelefonen, för anhöriga och andra oroliga: <b>020 100 200</b></li>"
                "<li>Center mot våldsbejakande extremism (CVE), råd till yrkesverksamma: "
                "<b>08-527 44 290</b></li>"
                "<li>Polisen: <b>112</b> vid fara, annars <b>114 14</b></li></ul>",
            ),
        ],
    ),
    TEST_MODULE,
]

ADVANCED_MODULES = [
    (
        "mottagningens-roll",
        "Mottagningens roll",
        READ,
        [
            _text(
                "<p>Mottagningsgruppen för försörjningsstöd håller förvaltningens "
                "beredskapstelefon för oro kring våldsbejakande extremism. Den som ringer kan "
                "vara en kollega, en skola eller en förälder. Ditt första samtal lägger "
                "grunden för allt som händer sedan.</p>"
                "<p>Socialtjänsten har inga särskilda insatser enbart för den här målgruppen. "
                "Stöd ges enligt socialtjänstlagen efter en individuell bedömning, på samma "
                "sätt som i andra ärenden.</p>"
            ),
        ],
    ),
    (
        "bedomning",
        "Att bedöma oro och skydda barn",
        READ,
        [
            _text(
                "<p>När oron gäller någon under 18 år ska en orosanmälan tas emot och bedömas "
                "skyndsamt, precis som vid annan oro för ett barn. Fråga efter vad anmälaren "
                "faktiskt har sett och hört, och skilj på åsikter och handlingar.</p>"
                "<p>Vid konkreta hot ska polisen kontaktas på 112. Center mot våldsbejakande "
                "extremism ger råd till yrkesverksamma på 08-527 44 290.</p>"
            ),
            (
                "reflection",
                {
                    "question": "Tänk på ett ärende där du blev osäker på hur allvarlig en oro "
                    "var. Vad hade hjälpt dig att bedöma den?",
                    "guidance": "Ditt svar sparas bara för dig. Ingen annan kan läsa det.",
                },
            ),
        ],
    ),
    (
        "avhopparstod",
        "Stöd till den som vill lämna",
        READ,
        [
            _text(
                "<p>Socialtjänsten ska kunna hjälpa den som vill lämna en våldsbejakande "
                "miljö, och snabbt. Insatserna prövas efter behov och kan ges i öppna former "
                "eller som placering, enligt socialtjänstlagen eller LVU.</p>"
                "<p>För unga vuxna mellan 18 och 29 år finns sociala insatsgrupper i "
                "samarbete med andra stadsdelar. Vid allvarliga hot mot den som hoppar av "
                "kan enheten för hemlösa kopplas in.</p>"
            ),
        ],
    ),
    TEST_MODULE,
]


def _stream(slug: str, blocks, video=None) -> str:
    """Raw StreamField JSON with stable block ids, so answers keep pointing at their block."""
    raw = []
    for n, (kind, value) in enumerate(blocks):
        if kind == "video":
            media, captions = video
            value = {"video": media.pk, "captions": captions.pk, "transcript": TRANSCRIPT_HTML}
        block_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-course/{slug}/{n}"))
        raw.append({"type": kind, "value": value, "id": block_id})
    return json.dumps(raw)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _course(index, *, slug, title, modules, groups, video=None, **fields) -> CoursePage:
    course = CoursePage.objects.child_of(index).filter(slug=slug).first()
    if course is None:
        course = CoursePage(title=title, slug=slug, **fields)
        course.required_for.set(groups)
        _publish(index, course)
    for module_slug, module_title, rule, blocks in modules:
        if ModulePage.objects.child_of(course).filter(slug=module_slug).exists():
            continue
        _publish(
            course,
            ModulePage(
                title=module_title,
                slug=module_slug,
                completion_rule=rule,
                body=_stream(f"{slug}/{module_slug}", blocks, video),
            ),
        )
    return course


def _learner_progress(*, username: str, course: CoursePage, count: int | None, days_ago: int):
    """Complete the first `count` modules (all when None) for a demo learner, once."""
    staff = StaffMember.objects.filter(user__username=username).first()
    if staff is None:
        return
    if Completion.objects.filter(staff=staff, course=course).exists():
        return
    if ModuleProgress.objects.filter(enrolment__staff=staff, enrolment__course=course).exists():
        return
    modules = list(ModulePage.objects.live().child_of(course))
    at = timezone.now() - datetime.timedelta(days=days_ago)
    for n, module in enumerate(modules[:count]):
        module_complete(staff=staff, module=module, at=at + datetime.timedelta(minutes=10 * n))


@transaction.atomic
def seed_courses(*, stdout=None) -> None:
    """The catalogue, the two demo courses and two learners' records."""
    home = HomePage.objects.first()
    index = CourseIndexPage.objects.filter(slug="utbildningar").first()
    if index is None:
        index = _publish(
            home,
            CourseIndexPage(
                title="Utbildningar",
                slug="utbildningar",
                intro="<p>Här finns förvaltningens utbildningar om våldsbejakande extremism. "
                "Grundutbildningen gäller alla medarbetare; fördjupningarna riktar sig till "
                "yrkesgrupper som möter frågan oftare.</p>",
                show_in_menus=True,
            ),
        )
    elif not index.show_in_menus:
        # A demo loaded before the catalogue was a menu page: the home page lists it now.
        index.show_in_menus = True
        index.save_revision().publish()
    groups = {g.code: g for g in TargetGroup.objects.all()}
    basic = _course(
        index,
        slug="grundutbildning",
        title="Grundutbildning om våldsbejakande extremism",
        level=CoursePage.Level.BASIC,
        intro="<p>En introduktion för alla medarbetare: vad våldsbejakande extremism är, "
        "vilka miljöer som finns, hur förvaltningen arbetar förebyggande och vad du gör när "
        "du känner oro. Du kan gå den här på webben eller på ett utbildningstillfälle.</p>",
        estimated_minutes=45,
        validity_months=36,
        completion_mode=CoursePage.CompletionMode.EITHER,
        modules=BASIC_MODULES,
        groups=[groups[g] for g in ("alla", "fortroendevalda") if g in groups],
        video=sample_video(title="Förebygga och förhindra på tre nivåer"),
    )
    advanced = _course(
        index,
        slug="fordjupning-mottagning",
        title="Fördjupning för socialtjänstens mottagningsenheter",
        level=CoursePage.Level.ADVANCED,
        intro="<p>För dig som tar emot samtal och anmälningar om oro. Kursen går igenom "
        "mottagningens uppdrag, bedömningen av oro för barn och unga och stödet till den som "
        "vill lämna en våldsbejakande miljö.</p>",
        estimated_minutes=90,
        validity_months=24,
        completion_mode=CoursePage.CompletionMode.MODULES,
        modules=ADVANCED_MODULES,
        groups=[groups["mottagning"]] if "mottagning" in groups else [],
    )
    _learner_progress(username="medarbetare", course=basic, count=None, days_ago=61)
    _learner_progress(username="socialsekreterare", course=advanced, count=2, days_ago=5)
    if stdout:
        stdout.write("Courses: the catalogue, the basic course and the advanced course.")
