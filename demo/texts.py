"""What the demo schools write: school data in Dutch (and Tom's own messages in English,
as the demo's English-speaking parent), not interface text, so nothing here is translated.

`{name}` is a child's first name, `{group}` the group's name, `{teacher}` the writer's."""

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

# The season's walk: the picture and the words follow the calendar of the day the demo is made.
SEASONS = {
    "herfst": ("autumn", "Herfstwandeling", "bladeren, kastanjes en paddenstoelen"),
    "winter": ("winter", "Winterwandeling", "ijspegels, sporen in de rijp en een sneeuwpop"),
    "lente": ("garden", "Lentewandeling", "knoppen aan de bomen, bloesem en de eerste bijtjes"),
    "zomer": ("beach", "Zomerse buitenles", "schelpen, zand en heel veel zon"),
}

WEEKLY_TITLES = ["Terugblik op deze week", "Weekbericht {group}", "Fijn weekend!"]

WEEKLY_TOPICS = {
    "young": [
        "In de kring hebben we het deze week gehad over het thema 'wonen'. De kinderen "
        "bouwden samen een huis van grote blokken en maakten er een echte deurbel bij.",
        "We hebben deze week geoefend met de letters van onze namen. Veel kinderen kunnen nu "
        "hun eigen naam al stempelen!",
        "In de bouwhoek is een heuse winkel ontstaan. Er wordt druk afgerekend met "
        "kartonnen geldjes.",
    ],
    "middle": [
        "Bij rekenen oefenen we de tafels van 3 en 4. Vijf minuten per dag thuis oefenen "
        "helpt echt, bijvoorbeeld in de auto of onder het tandenpoetsen.",
        "We zijn begonnen met een nieuw leesboek in de groep. Iedere dag lezen we samen een "
        "hoofdstuk en de kinderen zijn erg benieuwd hoe het afloopt.",
        "Deze week stond in het teken van de natuur: we hebben geleerd hoe een plant groeit "
        "en zelf tuinkers gezaaid. Die mag volgende week mee naar huis.",
    ],
    "upper": [
        "De eerste spreekbeurten zijn gehouden, en wat waren ze goed! Op de planning in de klas "
        "ziet uw kind wanneer het zelf aan de beurt is.",
        "Bij topografie leren we deze weken de provincies en hoofdsteden. Volgende week "
        "vrijdag is de toets; de oefenkaart zit in de map.",
        "We zijn gestart met het werkstuk over een land naar keuze. De kinderen werken in "
        "tweetallen en presenteren het over drie weken.",
    ],
}

WEEKLY_CLOSINGS = [
    "Denkt u aan de gymspullen op dinsdag en donderdag?",
    "Volgende week woensdag is er een luizencontrole; graag geen ingewikkelde vlechten.",
    "Wilt u de bibliotheekboeken weer meegeven? Dan kunnen we nieuwe halen.",
    "Heeft u thuis nog lege wc-rolletjes of eierdozen? Wij knutselen er graag mee.",
]

WEEKLY_BODY = "Beste ouders,\n\n{topic}\n\n{closing}\n\nFijn weekend!\n{teacher}"

#: Parents react to group posts; Tom (English) writes his own.
COMMENTS = [
    "Wat leuk om te zien, dank jullie wel!",
    "Wat een mooie foto's! {name} heeft er thuis de hele middag over verteld.",
    "Super georganiseerd, en dank aan alle hulpouders.",
    "Leuk! Hier thuis wordt er nog steeds over gepraat.",
    "Dank voor het delen, zo krijgen we een beetje mee van de dag.",
    "Wat hebben ze hun best gedaan. Prachtig!",
]
COMMENTS_EN = [
    "Thanks for sharing! Daan loved it and could not stop talking about it.",
    "Great photos, thank you for organising this.",
]
STAFF_REPLIES = [
    "Dank jullie wel! De kinderen hebben er echt van genoten.",
    "Fijn om te horen, dank voor de leuke reacties.",
]

#: Something personal per child once a week (the Lindeboom policy): mostly positive moments…
PERSONAL_POSITIVE = [
    "{name} heeft vandaag zo mooi voorgelezen in de kring. Wat gaat het lezen hard vooruit!",
    "Even een compliment: {name} hielp vanmorgen uit zichzelf een klasgenoot met rekenen. "
    "Heel lief om te zien.",
    "{name} heeft een prachtige tekening gemaakt bij ons thema. Die hangt nu bij de deur "
    "van de klas, komt u maar eens kijken!",
    "Wat heeft {name} vandaag geconcentreerd gewerkt. Het weektaakje was al voor de pauze af.",
    "Bij gym was {name} vandaag een echte teamspeler en moedigde iedereen aan. Top!",
    "{name} durfde vandaag voor de hele groep iets te vertellen over het weekend. Knap "
    "gedaan, dat vond {name} eerst best spannend.",
    "Vandaag had {name} alle sommen van de rekentoets goed. We zijn trots!",
    "{name} zorgde vandaag voor een heel gezellige sfeer in het groepje. Dank je wel, {name}!",
    "{name} heeft de plantjes in de moestuin water gegeven en was daar heel zorgzaam mee.",
    "Wat was {name} behulpzaam bij het opruimen na het knutselen. Zonder vragen!",
    "{name} vertelde vandaag vol trots over het zwemdiploma. Gefeliciteerd!",
    "Mooi moment vandaag: {name} speelde in de pauze met een kind dat alleen stond.",
]
#: …and also what did not go quite so well or needs attention.
PERSONAL_ATTENTION = [
    "Even ter informatie: {name} was vandaag wat stil en moe. Niets ernstigs, maar misschien "
    "fijn om thuis even te vragen hoe het gaat.",
    "{name} is in de pauze gevallen met voetballen. We hebben de knie gekoeld en een pleister "
    "geplakt; daarna werd er weer vrolijk gespeeld.",
    "Vandaag was er een klein conflict tussen {name} en een klasgenoot. We hebben het samen "
    "goed uitgepraat en het is opgelost.",
    "{name} had vandaag de gymspullen niet bij zich. Zou u morgen aan de gymtas willen denken?",
]
PARENT_REPLIES = [
    "Dank u wel, wat fijn om te horen! {name} was er thuis ook trots op.",
    "Bedankt voor het leuke bericht, dat maakt onze dag goed.",
    "Dank voor het laten weten. We houden het thuis in de gaten.",
    "Wat lief! Dit hebben we vanavond aan tafel nog even besproken.",
]
PARENT_QUESTIONS = [
    (
        "Goedemorgen, {name} is het bibliotheekboek kwijt. Ligt het misschien nog in de klas?",
        "Ik heb even gekeken: het lag in het laatje. Het gaat vandaag mee naar huis!",
    ),
    (
        "Hallo, {name} gaat vanmiddag met een vriendje mee naar huis; dat is met de andere "
        "ouders afgesproken. Groetjes!",
        "Dank voor het doorgeven, dat is goed.",
    ),
    (
        "Hoi, {name} vindt de tafels nog best lastig. Heeft u een tip om thuis te oefenen?",
        "Goede vraag! Elke dag vijf minuten oefenen met het oefenblad uit de map helpt het "
        "meest. Ik geef morgen een extra blad mee.",
    ),
]
WEEKEND_PHOTO = (
    "Hierbij een foto voor het weekendverhaal van {name}: we zijn gaan kamperen!",
    "Wat een mooie foto! {name} mag maandag in de kring over het kamperen vertellen.",
)
STAFF_DRAWING = "Kijk eens wat {name} vandaag heeft gemaakt! Een prachtig huis met een boom."

TOM_MESSAGE = (
    "Hi, Daan told me he really enjoyed the science lesson this week. Is there anything we "
    "can do at home to practise the times tables? Thanks, Tom"
)
TOM_REPLY = (
    "Dag Tom, leuk om te horen! Vijf minuten per dag de tafels van 3 en 4 oefenen helpt "
    "het meest. Ik geef Daan donderdag een oefenblad mee."
)

ABSENCE_NOTES = {
    "sick": "Koorts sinds gisteravond, blijft vandaag thuis.",
    "sick_app": "Buikpijn en misselijk vannacht. We houden {name} vandaag thuis.",
    "phone": "Moeder belde om 8.05 uur: griep.",
    "dentist": "Tandarts om 14.00 uur, ophalen om 13.30 uur.",
    "wedding": "Bruiloft van een tante.",
    "late": "Orthodontist om 10.30 uur; de afspraak is vanochtend pas verzet.",
    "sick_late": "Vanochtend toch nog misselijk geworden, sorry voor de late melding.",
}

ROUND_PURPOSE = (
    "In tien minuten bespreken we samen hoe het gaat met uw kind: in de klas, met "
    "vriendjes en vriendinnetjes, en met lezen en rekenen. Kies een tijd die u past."
)
