"""The word lists of claims.text: suggestion features, segmentation, passages, similarity
keys (page furniture has its own, claims.text.furniture_words).

Kept apart from the logic so that a newsroom can extend them without touching
the scoring. English first, with the most common forms of the other languages
the desk works in (Russian, Ukrainian, German, French, Spanish).
"""


def _inflect(verb):
    """The common English forms of a regular verb: sign -> signs, signed, signing."""
    forms = {verb}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
        if verb.endswith(("ch", "sh", "ss", "x")):
            forms.add(verb + "es")
    return forms


_REGULAR_ACTIONS = """
    sign ratify agree deploy announce approve vote launch station establish declare sanction
    arrest kill attack invade order decree adopt enact introduce impose appoint elect resign
    fund allocate provide deliver test conduct report confirm deny reject veto pass ban
    block seize capture destroy shoot bomb raid detain charge convict sentence
    increase decrease reduce raise cut double triple halve export import supply purchase
    acquire merge lay hire dismiss suspend ratify publish release reveal admit accuse
    warn threaten pledge promise commit invest spend borrow default downgrade upgrade
    legalize legalise criminalize criminalise approve authorize authorise sue rule
""".split()
_IRREGULAR_ACTIONS = """
    built build builds building fought fight fights sold sell sells selling won win wins
    lost lose loses shot struck strike strikes hit hits met meet meets paid pay pays
    sent send sends signed-off withdrew withdraw withdraws withdrawn took take takes taken
    gave give gives given made make makes rose rise rises fell fall falls grew grow grows
    overthrew seized bought buy buys led lead leads began begin begins begun passed
    law laws treaty treaties agreement agreements sanctions decree resolution referendum
    election elections ratification deployment
    подписал подписала подписали ратифицировал ратифицировала утвердил утвердила утвердили
    заявил объявил ввел ввели разместил разместили приняла приняли запретил запретила
    запретили выделил выделила выделили
    підписав підписала підписали ратифікував ратифікувала затвердив затвердила затвердили
    ухвалив ухвалила ухвалили оголосив оголосила оголосили запровадив запровадила запровадили
    розмістив розмістили виділив виділила виділили заборонив заборонила заборонили
    unterzeichnet unterzeichnete unterzeichneten beschlossen beschloss verabschiedet
    verabschiedete angekündigt ratifiziert genehmigt genehmigte verboten
    signé ratifié annoncé adopté approuvé interdit voté
    firmó firmaron aprobó aprobaron anunció prohibió adoptó ratificó
""".split()
ACTION_WORDS = frozenset(
    {form for verb in _REGULAR_ACTIONS for form in _inflect(verb)} | set(_IRREGULAR_ACTIONS)
)

NUMBER_WORDS = frozenset(
    """
    two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions
    billion billions trillion dozen dozens half twice double triple percent per-cent
    тысяч тысячи тысяча миллион миллиона миллионов миллиард миллиарда миллиардов процентов
    тисяча тисячі тисяч мільйон мільйона мільйони мільйонів мільярд мільярда мільярди
    мільярдів відсотків відсотка
    tausend millionen milliarde milliarden prozent mille millions milliards pourcent mil
    millones millón
    """.split()
)

COMPARISON = (
    "more than",
    "less than",
    "fewer than",
    "at least",
    "up to",
    "as many as",
    "largest",
    "biggest",
    "highest",
    "lowest",
    "smallest",
    "the first",
    "the last",
    "the only",
    "record",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "doubled",
    "tripled",
    "per cent",
    "percent",
    "compared with",
    "compared to",
)

ATTRIBUTION = ("said", "says", "told", "according to", "stated", "claimed", "reported")

HEDGES = frozenset(
    """
    may might could would should perhaps possibly probably likely unlikely seem seems
    seemed believe believes think thinks feel feels hope hopes opinion allegedly
    will shall going apparently arguably
    """.split()
)

FIRST_PERSON = frozenset(
    "i we you our my your us me i'm i'll i'd i've we're we'll we've you're".split()
)

# The same lists for the other languages the desk works in. Hedges and first person are
# single words (lower case); comparison and attribution are phrases. Written for this
# project from ordinary usage (no outside list copied).
_OTHER_LANGUAGES = {
    "ru": {
        "comparison": """более больше менее меньше свыше почти около как минимум не менее
            не более рекорд рекордный крупнейший крупнейшая наибольший наименьший впервые
            первый последний единственный вырос выросла выросло выросли увеличился
            увеличилась увеличилось сократился сократилась снизился снизилась вдвое втрое
            процент процента процентов по сравнению""",
        "attribution": """сказал сказала заявил заявила заявило заявили сообщил сообщила
            сообщило сообщили сообщает сообщают отметило отметил отметила по словам
            по данным согласно передает подчеркнул подчеркнула""",
        "hedges": """может могут мог могла могли возможно вероятно наверное видимо кажется
            считаю думаю полагаю надеюсь якобы будет будут должен должна должны бы
            предположительно""",
        "first_person": "я мы мой моя моё мои наш наша наше наши мне нам меня нас вы ваш",
    },
    "uk": {
        "comparison": """більше менше понад майже близько щонайменше не менше рекорд
            рекордний найбільший найменший вперше перший останній єдиний зріс зросла
            зросло зросли збільшився збільшилась скоротився скоротилася знизився вдвічі
            відсоток відсотків порівняно""",
        "attribution": """сказав сказала заявив заявила заявило заявили повідомив повідомила
            повідомило повідомили повідомляє за словами за даними згідно з відзначив наголосив""",
        "hedges": """може можуть міг могла могли можливо ймовірно мабуть здається вважаю
            думаю сподіваюся нібито буде будуть повинен повинна повинні б""",
        "first_person": "я ми мій моя моє мої наш наша наше наші мені нам мене нас ви ваш",
    },
    "de": {
        "comparison": """mehr als weniger als mindestens bis zu rekord größte größten
            höchste niedrigste erstmals der erste die erste der letzte einzige gestiegen
            gesunken verdoppelt verdreifacht prozent im vergleich zu""",
        "attribution": """sagte sagten erklärte erklärten teilte mit berichtete laut
            zufolge nach angaben betonte""",
        "hedges": """könnte könnten kann können dürfte möglicherweise vielleicht
            wahrscheinlich vermutlich angeblich scheint glaube glauben denke hoffe wird
            werden sollte sollten""",
        "first_person": "ich wir mein meine unser unsere mir uns mich sie ihr euch",
    },
    "fr": {
        "comparison": """plus de moins de au moins jusqu'à record le plus grand la plus
            grande le premier la première le dernier le seul hausse baisse augmenté
            diminué doublé triplé pour cent pourcent par rapport à""",
        "attribution": """a déclaré a dit a affirmé a annoncé selon d'après a indiqué
            a souligné a précisé""",
        "hedges": """pourrait pourraient peut peuvent peut-être probablement sans doute
            semble semblent crois pense espère prétendument sera seront devrait
            devraient""",
        "first_person": "je j' nous mon ma mes notre nos moi vous votre vos",
    },
    "es": {
        "comparison": """más de menos de al menos hasta récord el mayor la mayor el
            primero la primera el último la única aumentó disminuyó duplicó triplicó
            por ciento en comparación con""",
        "attribution": """dijo afirmó declaró aseguró anunció informó según de acuerdo
            con señaló subrayó""",
        "hedges": """podría podrían puede pueden quizás quizá tal vez probablemente
            parece creo pienso espero supuestamente será serán debería deberían""",
        "first_person": "yo nosotros nosotras mi mis nuestro nuestra nuestros me nos usted",
    },
}
_PHRASES = (
    "более чем|не менее|не более|по сравнению|как минимум|по словам|по данным|не менше|"
    "за словами|за даними|згідно з|mehr als|weniger als|bis zu|im vergleich zu|teilte mit|"
    "nach angaben|plus de|moins de|au moins|le plus grand|la plus grande|le premier|"
    "la première|le dernier|le seul|pour cent|par rapport à|a déclaré|a dit|a affirmé|"
    "a annoncé|a indiqué|a souligné|a précisé|más de|menos de|al menos|el mayor|la mayor|"
    "el primero|la primera|el último|la única|por ciento|en comparación con|de acuerdo con|"
    "tal vez|der erste|die erste|der letzte"
).split("|")


def _phrases_of(text):
    """Split a list on white space, keeping the multi-word phrases above whole."""
    text = " ".join(text.split())
    found = []
    for phrase in sorted(_PHRASES, key=len, reverse=True):
        if f" {phrase} " in f" {text} ":
            found.append(phrase)
            text = f" {text} ".replace(f" {phrase} ", " ").strip()
    return tuple(found) + tuple(text.split())


RELATIVE_DATES = (
    "yesterday",
    "today",
    "tomorrow",
    "last week",
    "last month",
    "last year",
    "this year",
    "next year",
    "a year later",
    "a year earlier",
    "years later",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

# The same in the desk's other languages, "|" between phrases; each language keeps the
# English ones too. "hier" is French only (German "hier" is "here"); "morgen" and "mañana"
# are left out (also "morning").
_OTHER_RELATIVE_DATES = {
    "ru": "вчера|сегодня|завтра|позавчера|понедельник|вторник|среда|среду|четверг|пятница|"
    "пятницу|суббота|субботу|воскресенье|на прошлой неделе|на этой неделе|в прошлом году|"
    "в этом году|в следующем году|в прошлом месяце|год спустя",
    "uk": "вчора|сьогодні|завтра|позавчора|понеділок|понеділка|вівторок|вівторка|середа|"
    "середу|четвер|четверга|п'ятниця|п'ятницю|п’ятниця|п’ятницю|пʼятниця|пʼятницю|субота|"
    "суботу|неділя|неділю|минулого тижня|цього тижня|минулого року|цього року|"
    "наступного року|минулого місяця",
    "de": "gestern|heute|vorgestern|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
    "sonntag|letzte woche|letzten woche|vergangene woche|vergangenen woche|letztes jahr|"
    "letzten jahr|vergangenes jahr|vergangenen jahr|in diesem jahr|diese woche|"
    "nächstes jahr|nächsten jahr",
    "fr": "hier|aujourd'hui|aujourd’hui|avant-hier|demain|lundi|mardi|mercredi|jeudi|"
    "vendredi|samedi|dimanche|la semaine dernière|cette semaine|l'an dernier|l’an dernier|"
    "l'année dernière|l’année dernière|cette année|l'an prochain|l’an prochain|"
    "l'année prochaine|l’année prochaine|le mois dernier",
    "es": "ayer|hoy|anteayer|lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    "la semana pasada|esta semana|el año pasado|este año|el próximo año|el mes pasado",
}


_BY_LANGUAGE = {
    "en": {
        "comparison": COMPARISON,
        "attribution": ATTRIBUTION,
        "hedges": tuple(HEDGES),
        "first_person": tuple(FIRST_PERSON),
        "relative_dates": RELATIVE_DATES,
    }
} | {
    language: {
        "comparison": _phrases_of(lists["comparison"]),
        "attribution": _phrases_of(lists["attribution"]),
        "hedges": tuple(lists["hedges"].split()),
        "first_person": tuple(lists["first_person"].split()),
        "relative_dates": RELATIVE_DATES + tuple(_OTHER_RELATIVE_DATES[language].split("|")),
    }
    for language, lists in _OTHER_LANGUAGES.items()
}
LIST_LANGUAGES = frozenset(_BY_LANGUAGE)


def words_for(language):
    """The comparison, attribution, hedge, first-person and relative-date lists of a
    language (English's when the desk has none for it)."""
    return _BY_LANGUAGE.get(language, _BY_LANGUAGE["en"])


# Words that begin sentences while not being names ("Aside from ...").
SENTENCE_STARTERS = frozenset(
    """
    the a an in on at of for to from by with this that these those it its there here
    but and or so yet also however meanwhile moreover furthermore still then thus
    after before during since while when where as if although though aside despite
    on according besides other another some many most several each every all both
    he she they we you i his her their our my your
    """.split()
)

# German words after which a capitalised word is a common noun, not a name (every German
# noun is capitalised): articles, their contractions with prepositions, determiners.
GERMAN_DETERMINERS = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner
    keines im am zum zur vom beim ins ans aufs fürs dieser diese dieses diesen diesem jener
    jene jenes jenen jenem jeder jede jedes jeden jedem alle allen aller einige einigen
    einiger viele vielen vieler mehrere mehreren wenige wenigen manche manchen beide beiden
    sein seine seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere
    unseren unserem unserer mein meine meinen meinem meiner welche welcher welches solche
    solchen
    """.split()
)
# German actors that take an article all the same: institutions and offices (by the end of
# the compound, case endings aside: "die Bundesregierung", "des Finanzministeriums") and
# names used with one.
GERMAN_INSTITUTIONS = tuple(
    """
    regierung ministerium minister ministerin kanzler kanzlerin präsident präsidentin
    kommission behörde gericht parlament polizei staatsanwaltschaft bundestag bundesrat
    sicherheitsrat armee bundeswehr bank partei amt
    """.split()
)
GERMAN_ARTICLE_NAMES = frozenset(
    "ukraine türkei schweiz iran irak libanon sudan jemen niederlande slowakei kreml "
    "vatikan".split()
)

MONTHS = (
    "january february march april may june july august september october november december "
    "январ феврал март апрел мая май июн июл август сентябр октябр ноябр декабр "
    "januar februar märz juni juli oktober dezember "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    # Ukrainian: whole words, as short stems are other words ("трав-а" grass, "черв-оний" red).
    "січень січня лютий лютого березень березня квітень квітня травень травня червень червня "
    "липень липня серпень серпня вересень вересня жовтень жовтня листопад листопада "
    "грудень грудня"
).split()


# "May" alone is also a modal verb: month_pattern() counts these only beside a day or a year.
MODAL_MONTHS = ("may", "mai", "мая", "май")


def month_pattern():
    names = sorted({m for m in MONTHS if m not in MODAL_MONTHS}, key=len)
    names.reverse()
    alternatives = "|".join(names)
    return (
        rf"\b(?:{alternatives})\w*\b|"
        r"\b\d{1,2}\s+(?:may|mai|мая)\b|\b(?:may|mai)\s+\d{1,2}(?:st|nd|rd|th)?\b|"
        r"\b(?:may|mai)\s+(?:19|20)\d\d\b"
    )


# Function words per language (FUNCTION_WORDS): left out of passage and similarity terms,
# and no reason shows a term made of them only.
STOPWORDS = {
    "en": "the of and to in is that for on with was as by are have has it from this be at not",
    "ru": "и в не на что с по как это из к он она они за от для то но был было его",
    "uk": "і в не на що з до як це від за та у й був було його але вона вони",
    "de": "der die und das ist nicht zu den von mit sich des auf für im dem ein eine auch",
    "fr": "le la les et des est un une du en que qui dans pour pas sur au avec ce il",
    "es": "el la de que y en los del se las por un una para con no es al lo como",
    "it": "il di che e la per un una non sono con del della si le gli nel anche ma",
    "pl": "i w nie na się z do że to jest jak o po ale od za co przez",
}

# Shared by every sentence: similarity keys and passage matching ignore them.
ENGLISH_FUNCTION_WORDS = """
    a an the and or but if then so than that this these those there here what which who whom
    whose when where why how all any both each few more most other some such no nor not only
    own same too very can will would shall should could may might must do does did doing done
    be is am are was were been being have has had having i me my we us our you your he him
    his she her it its they them their about above after again against at before below
    between by down during for from in into of off on once out over through to under until
    up upon with within without also as just while because since per via
"""
FUNCTION_WORDS = frozenset(
    word for words in STOPWORDS.values() for word in words.split()
) | frozenset(ENGLISH_FUNCTION_WORDS.split())

# Lower-cased, without the final full stop. Multi-dot forms are matched whole
# ("u.s" for "U.S."), so initials inside them are not mistaken for sentence ends.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft rev hon gen col lt maj capt cmdr adm sgt cpl pvt
    gov sen rep pres supt insp det messrs mme mlle
    inc ltd co corp plc llc bros dept univ assn est approx apt ave blvd rd
    no nos vol vols fig figs pp p ch sec art para ed eds trans cf al etc vs viz ca
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    e.g i.e a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a b.c a.d ph.d m.d b.a m.a
    dr.-ing bzw usw z.b d.h u.a s.o vgl ggf evtl
    mme m mlle cf p.ex
    sr sra sres srta dña
    г гг т.е т.д т.п т.к др пр им ул д кв стр см рис тыс млн млрд руб коп обл р-н
    """.split()
)
