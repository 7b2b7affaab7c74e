"""Is a message English, another language, or no words at all? Rules, no model download.

BackChat understands English only. A message in another language gets a reply saying so
(with the clinic's phone) instead of a guess at its meaning; a message with no letters or
digits (emoji, punctuation) gets the fallback that asks for words. The rules are
deliberately cautious: one foreign-looking word among English ones ("my dolor", "hola")
stays English, so a visitor writing English is never told to call instead.

* mostly non-Latin letters (Chinese, Punjabi, Arabic, Cyrillic, ...) -> another language;
* Latin letters: function words and back-pain words of French, Spanish, Portuguese,
  German, Italian, Tagalog and Vietnamese, counted against English function words.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum


def _words(text: str) -> frozenset:
    return frozenset(text.split())


ENGLISH_WORDS = _words(
    """
    a about after again all also am an and any are as at back be because been before
    being but by can cant could day days did didnt do does doesnt dont down for from get
    got had has have having he her him his how i if im in into is it its ive just know
    leg legs like low lower me months more my no not now of off on one or other out over
    pain really right left same she so some still than that the their them then there
    these they this to too up very was we week weeks were what when where which who why
    will with would year years yes you your hurts hurt hi hello hey thanks thank please
    ok okay yeah yep nope sure bye want need help book appointment acupuncture
    """
)

# Words that are not English words (or are rare in English chat), per language. Words
# shared with English ("pain", "me", "no", "a", "son", "die") are left out on purpose.
FOREIGN_WORDS = {
    "french": """je j'ai ai suis mon ma mes le la les des du est et avec pour pas dans une
        depuis douleur douleurs dos jambe jambes mal bonjour merci oui très c'est ça vous
        nous au aux qui mais ou sur cette fesse rendez-vous combien coûte ouvert samedi
        dimanche""",
    "spanish": """el los las del y tengo dolor espalda pierna piernas hola gracias desde muy
        una por para con que estoy mi hace años días semanas meses cuánto cuesta cita
        duele tiene usted buenos buenas tardes baja""",
    "portuguese": """eu tenho dor costas perna olá obrigado obrigada não com uma meu minha
        está estou muito há dias semanas anos consulta quanto custa""",
    "german": """ich habe und der das nicht mit rücken rückenschmerzen schmerzen bein seit
        hallo danke ein eine mein meine ist sehr wochen jahren tagen termin kostet haben
        sie geöffnet samstag sonntag heute wann bitte können""",
    "italian": """ho schiena ciao grazie della sono molto gamba dolore mio mia settimane
        anni giorni quanto costa appuntamento""",
    "tagalog": """ako ang sakit likod ng sa po salamat mga ko hindi masakit binti kamusta
        opo ito iyan ninyo namin""",
    "vietnamese": """tôi bị đau lưng chân không và của có xin chào cảm ơn rất tuần năm""",
}
FOREIGN_LOOKUP = {
    word: language for language, words in FOREIGN_WORDS.items() for word in words.split()
}
# Greetings that alone say "not English" clearly enough. "hallo" and "ciao" are not here:
# English speakers write them too ("ciao!" to say goodbye).
FOREIGN_GREETINGS = _words("bonjour bonsoir hola olá kamusta salamat merci gracias danke grazie")

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


class TextKind(str, Enum):
    """What a message is written in, as far as the rules can tell."""

    ENGLISH = "english"
    OTHER_LANGUAGE = "other_language"
    NO_WORDS = "no_words"


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def classify_text(text: str) -> TextKind:
    """ENGLISH unless the message clearly is another language or has no letters/digits."""
    if not any(char.isalnum() for char in text):
        return TextKind.NO_WORDS
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return TextKind.ENGLISH  # numbers only: an answer such as "3"
    non_latin = sum(1 for char in letters if not _is_latin(char))
    if non_latin / len(letters) > 0.5:
        return TextKind.OTHER_LANGUAGE
    words = [word.lower().replace("’", "'") for word in WORD.findall(text)]
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    foreign = sum(1 for word in words if word in FOREIGN_LOOKUP)
    if len(words) == 1 and words[0] in FOREIGN_GREETINGS:
        return TextKind.OTHER_LANGUAGE
    if foreign >= 2 and foreign > 2 * english:
        return TextKind.OTHER_LANGUAGE
    return TextKind.ENGLISH
