"""Swedish demo text for the content pages, written for this product from the facts of the
district's action plan (see demo/content.py)."""

LECTURE_INDEX_INTRO = (
    "<p>Inspelade föreläsningar om våldsbejakande extremism, öppna för alla medarbetare. "
    "Varje föreläsning är textad och har en transkribering under videon.</p>"
)

LECTURES = [
    {
        "slug": "forsvarshogskolan-februari-2026",
        "title": "Våldsbejakande extremism i Sverige – miljöer och drivkrafter",
        "speaker": "Inbjuden forskare",
        "organisation": "Försvarshögskolan",
        "recorded_on": (2026, 2, 12),
        "search_description": (
            "Försvarshögskolan beskriver de tre våldsbejakande miljöerna och vad som driver "
            "människor dit."
        ),
        "summary": (
            "<p>Föreläsningen i februari går igenom de tre våldsbejakande extremistmiljöer som "
            "Säkerhetspolisen beskriver – vit makt-miljön, den autonoma miljön och den "
            "våldsbejakande islamistiska miljön – och de ensamagerande som inte hör till någon "
            "grupp. Du får också en bild av hur en radikaliseringsprocess kan se ut, oavsett "
            "ideologi.</p>"
        ),
        "chapters": [
            ("Inledning", 0),
            ("Tre miljöer och de ensamagerande", 4),
            ("Hur radikalisering går till", 9),
            ("Vad betyder det för oss i stadsdelen?", 14),
            ("Avslutning", 19),
        ],
    },
    {
        "slug": "foi-maj-2026",
        "title": "Propaganda och påverkan på nätet",
        "speaker": "Inbjuden forskare",
        "organisation": "FOI, Totalförsvarets forskningsinstitut",
        "recorded_on": (2026, 5, 19),
        "search_description": (
            "FOI om hur våldsbejakande grupper använder sociala medier för att nå unga."
        ),
        "summary": (
            "<p>I maj föreläser FOI om hur våldsbejakande grupper använder sociala medier och "
            "propaganda för att värva anhängare, och om vad medarbetare i förskola, skola, "
            "fritid och socialtjänst kan göra för att stärka unga människors motståndskraft "
            "och källkritik.</p>"
        ),
        "chapters": [
            ("Inledning", 0),
            ("Budskap som lockar", 6),
            ("Källkritik som skydd", 12),
            ("Frågor från publiken", 18),
        ],
    },
]

GUIDANCE_INTRO = (
    "<p>Här finns stöd för dig som i ditt arbete möter frågor om våldsbejakande extremism: "
    "en samtalsguide, metodmaterial, symboler, rapporter och tips på böcker och poddar.</p>"
)

GUIDE_TITLE = "Samtalsguide: när någon uttrycker extrema åsikter"
GUIDE_INTRO = (
    "<p>Guiden hjälper dig att föra ett samtal med en ung person eller en vuxen som ger "
    "uttryck för extrema eller våldsbejakande åsikter. Den är skriven i samma anda som "
    "Samtalskompassen: målet är att hålla kontakten, förstå vad som ligger bakom och "
    "erbjuda andra perspektiv – inte att vinna en debatt.</p>"
    "<p>Vid konkreta hot ringer du alltid 112.</p>"
)

GUIDE_STEPS = [
    {
        "title": "Förbered dig",
        "purpose": (
            "<p>Tänk igenom din roll, vad du redan vet och var samtalet kan hållas i lugn och ro. "
            "Bestäm vem du kan prata med efteråt.</p>"
        ),
        "questions": [
            "Vad vet jag om personens situation just nu – skola, arbete, familj, vänner?",
            "Vad vill jag att personen ska ta med sig från samtalet?",
            "Vem rådgör jag med om jag blir orolig efteråt?",
        ],
        "avoid": [
            "Att ta samtalet i affekt direkt efter en incident.",
            "Att lova tystnad som du inte kan hålla om det finns en oro.",
        ],
    },
    {
        "title": "Skapa kontakt",
        "purpose": (
            "<p>Visa att du är intresserad av personen, inte bara av åsikterna. En god relation "
            "är det som gör att samtalet kan fortsätta.</p>"
        ),
        "questions": [
            "Hur har du haft det den senaste tiden?",
            "Jag hörde vad du sa förut – vill du berätta mer om hur du tänker?",
        ],
        "avoid": [
            "Att börja med att döma eller moralisera.",
            "Att förhöra personen.",
        ],
    },
    {
        "title": "Lyssna och fråga nyfiket",
        "purpose": (
            "<p>Låt personen förklara med egna ord. Öppna frågor ger dig en bild av vad "
            "personen tror på och varför.</p>"
        ),
        "questions": [
            "Vad är det som gör att du tycker så?",
            "Var har du hört eller läst om det här?",
            "Vad skulle hända om du fick som du ville?",
        ],
        "avoid": [
            "Att avbryta för att rätta faktafel direkt.",
            "Ironi och förlöjligande, som stänger samtalet.",
        ],
    },
    {
        "title": "Utforska behoven bakom",
        "purpose": (
            "<p>Extrema miljöer erbjuder ofta gemenskap, mening, spänning eller en förklaring "
            "till orättvisor. Försök förstå vilket behov åsikterna fyller.</p>"
        ),
        "questions": [
            "Vad får du ut av att vara med de här personerna?",
            "När kände du dig senast orättvist behandlad?",
            "Vilka andra saker i livet är viktiga för dig?",
        ],
        "avoid": [
            "Att tro att det bara handlar om ideologi.",
            "Att peka ut personens familj eller vänner som problemet.",
        ],
    },
    {
        "title": "Erbjud andra perspektiv",
        "purpose": (
            "<p>Ställ frågor som väcker eftertanke och berätta om din egen syn, med respekt. "
            "Demokratins spelregler och alla människors lika värde går inte att förhandla "
            "om – men personen gör det.</p>"
        ),
        "questions": [
            "Finns det någon du känner som skulle drabbas om det här blev verklighet?",
            "Vad skulle kunna få dig att tänka annorlunda?",
            "Får jag berätta hur jag ser på det?",
        ],
        "avoid": [
            "Långa föreläsningar om varför personen har fel.",
            "Att hota med konsekvenser för att avsluta samtalet.",
        ],
    },
    {
        "title": "Avsluta och gå vidare",
        "purpose": (
            "<p>Avsluta så att dörren står öppen för ett nytt samtal. Om du känner oro: "
            "prata med din närmaste chef samma dag. Gäller det någon under 18 år gör du en "
            "orosanmälan till socialtjänsten. Konkreta hot polisanmäls på 112.</p>"
        ),
        "questions": [
            "Kan vi prata mer om det här en annan dag?",
            "Finns det någon annan du vill prata med?",
        ],
        "avoid": [
            "Att hålla en oro för dig själv.",
            "Att själv försöka utreda eller spana på personen.",
        ],
    },
]

RESOURCE_TITLE = "Metodmaterial, symboler och tips"
RESOURCE_INTRO = (
    "<p>Material som arbetsgruppen mot våldsbejakande extremism har samlat för medarbetare i "
    "stadsdelsförvaltningen. Tipsa preventionssamordnaren om du saknar något.</p>"
)

SYMBOLS = [
    (
        "Exempelbild: sifferkod",
        "Platshållarbild: en grå ruta med siffrorna 00 i svart.",
        "Sifferkoder",
        "Siffror kan användas som dolda hänvisningar till en rörelse. Fråga "
        "preventionssamordnaren om du ser en kod du inte känner igen.",
        "00",
    ),
    (
        "Exempelbild: klistermärke",
        "Platshållarbild: ett gult rektangulärt klistermärke med ordet TEXT.",
        "Klistermärken och klotter",
        "Klistermärken och klotter med extremistiska budskap anmäls via Tyck till-appen "
        "eller 08-651 00 00 och rapporteras i incidentrapporteringssystemet.",
        "TEXT",
    ),
    (
        "Exempelbild: emblem",
        "Platshållarbild: en blå sköld utan motiv.",
        "Emblem och flaggor",
        "Emblem används för att visa tillhörighet. Själva symbolen är sällan olaglig, men "
        "den kan vara ett tecken att uppmärksamma.",
        "",
    ),
]

REPORT_SUMMARY_HTML = """
<h1>Lokal lägesbild – sammanfattning</h1>
<p>Stadsdelsförvaltningen tar fram lägesbilden tillsammans med lokalpolisområde Skärholmen
och uppdaterar den två gånger i månaden. Uppgifter kommer från skolor, kollektivtrafiken,
fastighetsägare, trafikkontoret och chefer i förvaltningens verksamheter.</p>
<p>De händelser som rapporterats gäller främst högerextremt klotter och personer som uttryckt
högerextrema åsikter; en händelse gällde religiöst motiverade våldsbejakande åsikter.
Kännedomen om stadens riktlinjer och den lokala handlingsplanen behöver öka.</p>
<p>Rapportera alltid klotter och klistermärken med extremistiska budskap.</p>
"""

FLOWCHART_HTML = """
<h1>Så agerar du vid oro</h1>
<ol>
<li>Konkreta hot: ring 112.</li>
<li>Tecken på radikalisering: kontakta din närmaste chef direkt.</li>
<li>Gäller det någon under 18 år: gör en orosanmälan till socialtjänsten
(mottagningsgruppen barn och ungdom, 08-508 22 300).</li>
<li>Rådgör med den lokala kontaktpersonen (mottagningsgruppens beredskapstelefon,
08-508 22 605) eller med Center mot våldsbejakande extremism, 08-527 44 290.</li>
<li>Tips om brott som inte är akuta: polisen, 114 14.</li>
</ol>
"""
