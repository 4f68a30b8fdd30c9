"""The word lists of page furniture: what marks a sentence as part of the page around an
article (prompts, credits and captions, bylines, date lines, link labels) rather than a
statement in it. Kept apart from the rules (claims.text.suggest) so that a newsroom can
extend them; every language the desk works in, as claims.text.words.
"""

# Phrases that mark site furniture wherever they appear (lower case), in every language
# the desk works in: a page in one language often carries widgets in another.
PROMO = (
    "subscribe",
    "sign up",
    "log in",
    "login",
    "register",
    "newsletter",
    "follow us",
    "click here",
    "read more",
    "read also",
    "see also",
    "get the latest",
    "download the app",
    "all rights reserved",
    "cookie",
    "advertisement",
    "share this",
    "listen to this article",
    "explore more on these topics",
    "contact the author",
    "this article was originally published",
    "is republished from",
    "creative commons licen",
    "views expressed in this",
    "opinions expressed in this",
    "trust principles",
    "our standards:",
    "contributed to this report",
    "contributed reporting",
    "continue reading",
    "read the full story",
    "read the full article",
    "opens in new window",
    "opens in a new window",
    "click to share",
    "go to the media bank",
    "not available in your region",
    "may not be reproduced",
    "reproduction prohibited",
    "comments",
    "to participate in the discussion",
    "terms of use",
    "privacy policy",
    "newsfeed",
    "loading",
    # Russian
    "подписаться",
    "подпишитесь",
    "читайте также",
    "читать далее",
    "смотрите также",
    "все права защищены",
    "зарегистрироваться",
    "комментарии",
    "лента новостей",
    "подписывайтесь",
    "следите за нами",
    "поделитесь этой",
    "поделиться статьей",
    "перепечатка материалов",
    "при использовании материалов",
    # Ukrainian
    "підписатися",
    "підпишіться",
    "читайте також",
    "дивіться також",
    "усі права захищені",
    "всі права захищені",
    "коментарі",
    "підписуйтесь",
    "підписуйтеся",
    "стежте за нами",
    "поділіться цією",
    "поділіться статтею",
    "передрук лише",
    "передрук матеріалів",
    "при використанні матеріалів",
    # German
    "abonnieren",
    "lesen sie auch",
    "mehr zum thema",
    "alle rechte vorbehalten",
    "datenschutzerklärung",
    "kommentare",
    "teilen sie",
    "folgen sie uns",
    "nachdruck nur",
    "kopieren nur mit",
    # French
    "s'abonner",
    "abonnez-vous",
    "se connecter",
    "lire aussi",
    "à lire aussi",
    "voir aussi",
    "tous droits réservés",
    "commentaires",
    "suivez-nous",
    "partager cet article",
    "partagez cet article",
    "reproduction interdite",
    # Spanish
    "suscríbete",
    "suscribirse",
    "iniciar sesión",
    "regístrate",
    "lee también",
    "leer más",
    "ver también",
    "todos los derechos reservados",
    "comentarios",
    "síguenos",
    "comparte este artículo",
    "compartir este artículo",
    "prohibida su reproducción",
    "prohibida la reproducción",
)

# Lines of a news page that begin this way and go on with names only are credits, not
# statements ("Reporting by Andrew Osborn; Editing by Mark Heinrich"; "Reporting by the
# New York Times found ..." is a statement). Lower case, matched at the sentence start.
CREDIT_LINE_STARTS = (
    "reporting by",
    "additional reporting by",
    "writing by",
    "written by",
    "editing by",
    "edited by",
    "compiled by",
    "translated by",
    "graphics by",
    "illustration by",
    "illustrations by",
)
# The same for photo and video credits and captions: the rest of their line is caption too.
CAPTION_LINE_STARTS = (
    "photo by",
    "photos by",
    "photograph by",
    "photography by",
    "(photo by",
    "(photo:",
    "image caption",
    "image source",
    "image credit",
    "image copyright",
    "media caption",
    "video caption",
    "photo caption",
    "photo credit",
)
# "Updated 3:45 PM EST", "Published on 13 December 2023", "Mis à jour le 13 décembre":
# these words at the start of a sentence, followed by nothing but a date and time
# ("Published on Monday, the report said ..." is a statement).
DATE_LINE_STARTS = (
    "updated",
    "last updated",
    "published",
    "first published",
    "posted",
    "last modified",
    "обновлено",
    "опубликовано",
    "оновлено",
    "опубліковано",
    "aktualisiert",
    "veröffentlicht",
    "mis à jour",
    "publié",
    "actualizado",
    "publicado",
)
WEEKDAYS = (
    "mon tue wed thu fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes "
    "sábado domingo понедельник вторник среда четверг пятница суббота воскресенье понеділок "
    "вівторок середа четвер п'ятниця субота неділя"
).split()
# "Watch: ...", "Related: ...", "Tags: ...", "Editor's note: ...": a label in front of a
# link, a player or a note about the article.
LABEL_STARTS = (
    "watch",
    "listen",
    "video",
    "audio",
    "gallery",
    "photos",
    "related",
    "read more",
    "read also",
    "see also",
    "explore",
    "also read",
    "recommended",
    "tags",
    "topics",
    "editor's note",
    "editor’s note",
    "correction",
    "clarification",
    "теги",
    "темы",
    "теми",
    "смотрите",
    "видео",
    "дивіться",
    "відео",
)
# "By Andrew Roth in Moscow", "Von Anna Müller, Berlin", "Par Jean Dupont": a byline is one
# of these words and names only (the words between names below aside).
BYLINE_STARTS = ("by", "von", "par", "por")
BYLINE_JOINS = frozenset(
    "and in und et y à en de del van von der da di le la al bin by и в і".split()
)
# The words a date line may hold besides numbers, month and weekday names and time zones.
DATE_LINE_WORDS = frozenset(
    """on at am um le el à в о o of the and und et y и і г года року ago hour hours minute
    minutes min mins h de del uhr horas hrs""".split()
)
