"""The demo's knowledge tests and course evaluation, written for the action plan's facts."""

# (kind, question, explanation, [(option, right), ...])
BASIC_QUESTIONS = [
    (
        "single",
        "Vad menas med våldsbejakande extremism?",
        "Det är ideologier, rörelser och miljöer som godtar och rättfärdigar våld som ett sätt "
        "att driva igenom extrema ideologiska idéer.",
        [
            ("Miljöer och rörelser som godtar våld för att nå extrema ideologiska mål", True),
            ("Alla åsikter som skiljer sig från majoritetens", False),
            ("Brott som begås utan något politiskt eller religiöst motiv", False),
        ],
    ),
    (
        "true_false",
        "Extremism innebär att man inte godtar en demokratisk samhällsordning.",
        "Extremister vill förändra samhället utan att gå genom de demokratiska processerna.",
        [("Sant", True), ("Falskt", False)],
    ),
    (
        "multiple",
        "Vilka är de tre våldsbejakande extremistmiljöer som Säkerhetspolisen beskriver i Sverige?",
        "Säkerhetspolisen talar om den våldsbejakande högerextremistiska miljön, den "
        "våldsbejakande vänsterextremistiska miljön och den våldsbejakande islamistiska miljön.",
        [
            ("Den våldsbejakande högerextremistiska miljön", True),
            ("Den våldsbejakande vänsterextremistiska miljön", True),
            ("Den våldsbejakande islamistiska miljön", True),
            ("Miljörörelsen", False),
            ("Supporterklubbar inom idrotten", False),
        ],
    ),
    (
        "single",
        "Vad är radikalisering?",
        "Radikalisering är den process som för en person eller grupp mot att stödja eller "
        "använda ideologiskt motiverat våld. Processerna liknar varandra oavsett ideologi.",
        [
            ("Processen som leder till att någon stödjer eller utövar ideologiskt våld", True),
            ("Att engagera sig starkt i ett politiskt parti", False),
            ("Att byta religion", False),
        ],
    ),
    (
        "single",
        "Vilken nivå av förebyggande arbete riktar sig till alla, oavsett risk?",
        "Universellt förebyggande arbete når alla, till exempel demokratiarbete i förskola och "
        "skola.",
        [("Universell", True), ("Selektiv", False), ("Indikerad", False)],
    ),
    (
        "single",
        "Till vilka riktas selektivt förebyggande arbete?",
        "Selektiva insatser riktas till grupper som är särskilt utsatta för riskfaktorer.",
        [
            ("Grupper som är särskilt utsatta för en eller flera riskfaktorer", True),
            ("Alla invånare i stadsdelen", False),
            ("Bara personer som redan har dömts för brott", False),
        ],
    ),
    (
        "single",
        "Hur kallas insatser som riktas till en enskild person som befinner sig i riskzonen?",
        "Indikerat förebyggande arbete riktas till individer, till exempel den som visar tecken "
        "på att dras mot en våldsbejakande miljö.",
        [("Indikerade", True), ("Universella", False), ("Selektiva", False)],
    ),
    (
        "single",
        "Du får veta att någon hotar att utföra ett våldsdåd. Vad gör du först?",
        "Ett konkret hot polisanmäls direkt på 112.",
        [
            ("Ringer 112 och polisanmäler hotet", True),
            ("Skriver ner vad du hört och tar upp det på nästa arbetsplatsträff", False),
            ("Ringer 114 14 nästa vardag", False),
        ],
    ),
    (
        "multiple",
        "Du är orolig för att en 16-åring håller på att dras in i en våldsbejakande miljö. "
        "Vad gäller?",
        "Tecken ska alltid rapporteras till närmaste chef. För den som är under 18 år görs en "
        "orosanmälan till socialtjänsten, och mottagningsgruppens beredskapstelefon "
        "08-508 22 605 ger råd.",
        [
            ("Du gör en orosanmälan till socialtjänsten", True),
            ("Du kontaktar din närmaste chef", True),
            ("Du kan ringa mottagningsgruppens beredskapstelefon 08-508 22 605", True),
            ("Du väntar tills personen har fyllt 18 år", False),
        ],
    ),
    (
        "true_false",
        "Polisens nummer 114 14 är till för ärenden som inte är akuta.",
        "114 14 används när det inte är bråttom. Vid akut fara ringer du alltid 112.",
        [("Sant", True), ("Falskt", False)],
    ),
]

ADVANCED_QUESTIONS = [
    (
        "single",
        "Vem är förvaltningens lokala kontakt vid oro för våldsbejakande extremism?",
        "Mottagningsgruppen inom enheten för försörjningsstöd har en beredskapstelefon: "
        "08-508 22 605.",
        [
            ("Mottagningsgruppen inom försörjningsstöd, 08-508 22 605", True),
            ("Stadens växel", False),
            ("Skolans elevhälsa", False),
        ],
    ),
    (
        "multiple",
        "Vilka insatser kan socialtjänsten ge den som vill lämna en våldsbejakande miljö?",
        "Socialtjänsten ger behovsprövade insatser i öppna former eller genom placering enligt "
        "SoL eller LVU, och ger råd och stöd.",
        [
            ("Behovsprövade insatser i öppna former", True),
            ("Placering utanför hemmet enligt SoL eller LVU", True),
            ("Råd och stöd", True),
            ("Inga insatser förrän personen har dömts för brott", False),
        ],
    ),
    (
        "single",
        "Vad erbjuder Center mot våldsbejakande extremism (CVE) på 08 527 44 290?",
        "CVE ger stöd och råd till yrkesverksamma, främst i kommuner och myndigheter.",
        [
            ("Stöd och råd till yrkesverksamma i det förebyggande arbetet", True),
            ("Akut hjälp vid brott som pågår", False),
            ("Anmälan av klotter", False),
        ],
    ),
    (
        "true_false",
        "Radikaliseringsprocesser har stora likheter oavsett vilken ideologi det gäller.",
        "Den som ansluter sig till en våldsbejakande miljö har nästan alltid gått igenom en "
        "radikaliseringsprocess, och processerna liknar varandra.",
        [("Sant", True), ("Falskt", False)],
    ),
    (
        "single",
        "Var anmäler du klotter eller klistermärken med våldsbejakande budskap?",
        "Anmäl i Tyck till-appen, via synpunktsportalen på stockholm.se eller på 08 651 00 00.",
        [
            ("I Tyck till-appen, synpunktsportalen eller på 08 651 00 00", True),
            ("På 112", False),
            ("Ingenstans, det tas bort automatiskt", False),
        ],
    ),
]

POLL = {
    "title": "Kursutvärdering: grundutbildningen",
    "intro": "Tack för att du gick grundutbildningen. Hjälp oss att göra den bättre - det tar "
    "två minuter.",
    "free_text_prompt": "Vad vill du att vi förbättrar?",
    "questions": [
        ("scale", "Hur nöjd är du med utbildningen som helhet?", "Inte alls nöjd", "Mycket nöjd"),
        ("scale", "Hur säker känner du dig nu på vad du ska göra vid oro?", "Inte alls", "Helt"),
        ("choice", "Hur var utbildningens längd?", ["För kort", "Lagom", "För lång"]),
    ],
}
