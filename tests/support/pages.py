"""Small hand-made pages the capture tests serve."""

ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Air defence pact extended | Example News</title>
<meta property="og:title" content="Air defence pact extended">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2023-12-13T10:00:00Z">
<meta property="og:site_name" content="Example News">
</head><body>
<nav>Home | World | Subscribe</nav>
<article><h1>Air defence pact extended</h1>
<p>Minsk, 13 December. In 2009, Moscow and Minsk signed an air defense agreement that
created a joint regional system. Officials said on Tuesday the agreement would be extended.</p>
<p>In 2022, several thousand soldiers were deployed in Belarus, according to the defence
ministry, which published the figures on its website.</p>
<p>The ministry added that further exercises are planned for the spring, with air units from
both countries taking part in drills near the border.</p>
</article>
<footer>Copyright Example News. <script>track()</script></footer>
</body></html>
"""

RUSSIAN_TEXT = (
    "Минск, 13 декабря. В 2009 году Москва и Минск подписали соглашение о совместной охране "
    "внешней границы в воздушном пространстве и создании единой региональной системы "
    "противовоздушной обороны. В 2022 году в Беларуси были развернуты несколько тысяч военных."
)


def russian_page(*, meta=True):
    """A windows-1251 page, with or without a <meta charset> saying so."""
    head = '<meta charset="windows-1251">' if meta else ""
    html = (
        f"<html><head>{head}<title>Соглашение о ПВО</title></head><body><article>"
        f"<h1>Соглашение о ПВО</h1><p>{RUSSIAN_TEXT}</p><p>{RUSSIAN_TEXT}</p></article>"
        "</body></html>"
    )
    return html.encode("windows-1251")


# The text of a small hand-made source page (for passages): navigation, a related paragraph,
# the passage a reviewer would pick for the 2009 air-defence claim, distractors sharing words.
SOURCE_PAGE = """Ministry of Defence of the Republic of Belarus
Home | News | Contacts
Air defence cooperation
The Union State has a long history of joint exercises. Exercises are held regularly.
On 3 February 2009 in Moscow, the presidents of Russia and Belarus signed the agreement on the \
joint protection of the external border of the Union State in the airspace and the creation of \
a unified regional air defence system.
The agreement entered into force after ratification by both parliaments.
In 2017 a protocol clarified the command arrangements of the regional system.
In 2022 several thousand soldiers of a joint regional grouping were deployed in Belarus.
Belarus and Russia also hold the Union Shield exercises.
Subscribe to our newsletter
"""
