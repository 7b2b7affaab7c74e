"""Replace visitors' personal details with placeholders, and say when some seem left.

Rule-based and pure. ``scrub(text)`` replaces, in this order: emails, street addresses,
postal codes, dates of birth, phone numbers (North American: +1, dots, spaces,
parentheses, extensions; 7-digit local numbers), Alberta health-card numbers (9 digits,
often 12345-6789 or 1234 5678 9) and names after cues ("my name is", "I'm", "call me",
titles, sign-offs). ``still_personal(text)`` lists what in a scrubbed text still looks
personal (long digit runs, '@', a birth or card cue with digits, a known first name...):
such a message is held back for a person to edit, never exported as it is.

Durations ("3 weeks", "10 days"), ages ("I'm 45", "45M") and spine levels ("L4-L5")
are not personal and survive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NAME, PHONE, EMAIL = "[NAME]", "[PHONE]", "[EMAIL]"
ADDRESS, POSTAL_CODE, DOB, HEALTH_CARD = "[ADDRESS]", "[POSTAL_CODE]", "[DOB]", "[HEALTH_CARD]"
PLACEHOLDERS = (NAME, PHONE, EMAIL, ADDRESS, POSTAL_CODE, DOB, HEALTH_CARD)

_TLDS = r"(?:com|ca|org|net|edu|gov|info|io|co|me|us|uk|biz|shaw\.ca|telus\.net)"
EMAIL_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*\s?(?:@|\(at\)|\[at\]|\s+at\s+)\s?"
    r"[A-Za-z0-9-]+(?:\s?(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s?[A-Za-z0-9-]+)*"
    rf"\s?(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s?{_TLDS}\b",
    re.IGNORECASE,
)
# "@" with a domain is an email whatever the words around it.
PLAIN_EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")

_STREET_TYPES = (
    r"ave(?:nue)?|st(?:reet)?|rd|road|dr(?:ive)?|blvd|boulevard|way|cres(?:cent)?|close|"
    r"court|ct|trail|tr|place|pl|lane|ln|gate|link|wynd|terrace|bay|landing|point|heights|"
    r"hts|manor|square|sq|highway|hwy|parkway|pkwy|circle|cir|common|crt|green|grove|"
    r"gardens|park|path|rise|row|run|view|walk|wood|way"
)
_UNIT = r"(?:(?:#|unit|apt\.?|suite|ste\.?)\s*\d+[a-z]?\s*[-,]?\s*|\d+[a-z]?\s*-\s*)"
_STREET_NAME = r"(?:\d{1,3}(?:st|nd|rd|th)?|[a-z][a-z'.]+(?:\s[a-z][a-z'.]+)?)"
ADDRESS_RE = re.compile(
    rf"(?<![\w-]){_UNIT}?\d{{1,6}}[a-z]?\s+{_STREET_NAME}\s+(?:{_STREET_TYPES})\b\.?"
    r"(?:\s+(?:nw|ne|sw|se|n\.?w\.?|s\.?w\.?|n\.?e\.?|s\.?e\.?|north|south|east|west|n|s|e|w)\b)?"
    r"(?:,?\s+(?:edmonton|calgary|st\.? albert|sherwood park|spruce grove|leduc|red deer))?",
    re.IGNORECASE,
)
# A unit and street number without a street type ("#301-10234 82 Ave" is caught above).
PO_BOX_RE = re.compile(r"\b(?:p\.?\s?o\.?\s?)?box\s+\d{2,6}\b", re.IGNORECASE)
POSTAL_RE = re.compile(
    r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.IGNORECASE
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUMERIC_DATE = r"\d{1,4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}"
_WORD_DATE = (
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}})"
)
_DATE = rf"(?:{_NUMERIC_DATE}|{_WORD_DATE})"
_BIRTH_CUE = (
    r"(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|birthday|born)"
    r"(?:\s+(?:is|was|on|in))?\s*[:=-]?\s*"
)
DOB_RE = re.compile(rf"\b{_BIRTH_CUE}{_DATE}", re.IGNORECASE)
# A full date with a year of the last century is a birth date in a back-pain chat.
OLD_DATE_RE = re.compile(
    rf"(?<![\w/.-])(?:\d{{1,2}}\s?[-/.]\s?\d{{1,2}}\s?[-/.]\s?19\d\d|19\d\d\s?[-/.]\s?\d{{1,2}}"
    rf"\s?[-/.]\s?\d{{1,2}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+19\d\d|\d{{1,2}}"
    rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+19\d\d)(?![\w/])",
    re.IGNORECASE,
)

_EXTENSION = r"(?:\s*(?:,|;)?\s*(?:x|ext\.?|extension|local)\s*\d{1,5})?"
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+?\s?1\s?[-. ]?\s?)?(?:\(\s?\d{3}\s?\)|\d{3})\s?[-. ]?\s?\d{3}\s?[-. ]?\s?\d{4}"
    rf"{_EXTENSION}(?!\w)",
    re.IGNORECASE,
)
LOCAL_PHONE_RE = re.compile(rf"(?<![\w-])\d{{3}}[-. ]\d{{4}}{_EXTENSION}(?![\w-])", re.IGNORECASE)
HEALTH_CARD_RE = re.compile(
    r"(?<![\w-])(?:\d{5}[- ]\d{4}|\d{4}[- ]\d{4}[- ]\d|\d{3}[- ]\d{3}[- ]\d{3}|\d{9})(?![\w-])"
)


def _words(text: str) -> frozenset:
    return frozenset(text.split())


# Words that follow "I'm", "this is"... and are not names.
COMMON_WORDS = _words(
    """a about above actually after again against all almost also always am an and any
    anxious around as asking at available away awake back bad barely because been before
    being better between bit booked both bothered but by calling can canadian certain
    checking chronic clearly closer coming concerned confused constantly contacting
    currently curious dealing desperate diabetic did do doing done down dr due during
    each either else enough especially even ever every exhausted experiencing fairly
    female feeling fine finally for from frustrated fully getting glad going gonna good
    great had happy hardly has have having he her here hers hi him his home hopeful
    hoping how however hurt hurting i if ill in interested into is it its just kind
    kinda less like limping literally looking lost lot male man many maybe me mid might
    miserable more mostly much must my myself nervous never new no nobody none nor not
    nothing now of off often ok okay old on once one only or other our out over
    overweight pregnant pretty probably quite rather ready really recovering retired
    right sad scared seeing self severe she should since sitting so some someone
    something sometimes sore sorry standing starting still stressed stuck such suffering
    super supposed sure taking terrified than thank thankful thanks that the their them
    then there these they thinking this those though through tired to today too totally
    trying two type under unable unsure up us very walking want wanting was we well
    were what when where which who why will willing with woman wondering worried would
    writing yes yet you young your monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november
    december english canadian christmas easter"""
)
# First names, for lower-case names after a weak cue and for the residual check.
FIRST_NAMES = _words(
    """aaron abby adam aiden alex alexander alice alicia allison amanda amber amy andrea
    andrew angela anna anne anthony ashley austin ava barbara ben benjamin beth betty
    brandon brenda brian brittany brooke bruce bryan caleb cameron carl carol caroline
    carlos catherine charles charlotte chelsea cheryl chloe chris christina christine
    christopher cindy claire cody colin connor courtney craig crystal cynthia dale dan
    daniel danielle darren dave david dean debbie deborah denise dennis derek diana
    diane donald donna doug douglas dylan edward elizabeth ella ellen emily emma eric
    erica erin ethan eva evan fatima frank gabriel gary george gordon grace graham greg
    gurpreet hannah harpreet harry heather helen henry holly ian isabella jack jacob
    jake james jamie jane janet janice jared jasmine jason jeff jeffrey jen jennifer
    jeremy jerry jesse jessica jill jim jo joan joanne joe john jonathan jordan jose
    joseph josh joshua joyce juan judy julia julie justin karen kate katherine kathleen
    kathy katie keith kelly ken kenneth kevin kim kimberly kristen kyle larry laura
    lauren lee leslie liam linda lisa logan lori lucas lucy luke lynn madison maria
    marie mark martha martin mary mason matt matthew megan melanie melissa michael
    michelle mike mohammed muhammad monica nancy natalie nathan nicholas nicole noah
    olivia oliver omar pamela patricia patrick paul peter philip priya rachel raj rajesh
    randy raymond rebecca richard rick rob robert robin roger ronald ruth ryan sam
    samantha samuel sandra sara sarah scott sean shannon sharon shawn simon sophia
    stephanie stephen steve steven susan tammy tanya teresa terry thomas tiffany tim
    timothy tina todd tom tony tracy travis tyler valerie vanessa victoria vincent wayne
    wei william xavier yusuf zach zoe"""
)
_NAME_WORD = r"[A-Za-z][A-Za-z'’-]{1,30}"
_STRONG_CUE = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name'?s|name\s*(?:is|:)|names|call\s+me|i\s+go\s+by|"
    r"you\s+can\s+call\s+me|(?:first|last|full)\s+name\s*(?:is|:)?|"
    r"(?:mr|mrs|ms|miss|dr)\.?)\s+",
    re.IGNORECASE,
)
_WEAK_CUE = re.compile(
    r"(?:\b(?:i'?m|i\s+am|this\s+is|it'?s|here\s+is|im)\s+)|"
    r"(?:\b(?:regards|cheers|thanks|thank\s+you|thx|ty|sincerely|best|cheers|take\s+care)"
    r"\s*[,!.:-]*\s+|^\s*[-–—~]\s*|\n\s*[-–—~]?\s*)",
    re.IGNORECASE,
)
_SIGN_OFF_END = re.compile(rf"[-–—~]\s*({_NAME_WORD})\s*[.!]*\s*$")
_WORD = re.compile(_NAME_WORD)


@dataclass(frozen=True)
class Scrubbed:
    text: str
    replaced: tuple[str, ...]  # the placeholders put in, in order

    @property
    def changed(self) -> bool:
        return bool(self.replaced)


def _is_name_word(word: str, strong: bool) -> bool:
    bare = word.strip("'’-").lower()
    if not bare or bare in COMMON_WORDS or bare.startswith("[") or len(bare) < 2:
        return False
    if strong:
        return True
    return word[0].isupper() or bare in FIRST_NAMES


def _names_after(cue: re.Pattern, text: str, strong: bool) -> list[tuple[int, int]]:
    """Spans of one or two name words right after each cue."""
    spans: list[tuple[int, int]] = []
    for match in cue.finditer(text):
        first = _WORD.match(text, match.end())
        if not first or not _is_name_word(first.group(), strong):
            continue
        if not strong and not first.group()[0].isupper():
            weak_known = first.group().lower() in FIRST_NAMES
            ends_here = re.match(r"\s*(?:[,.!?]|$|and\b|here\b)", text[first.end() :])
            if not (weak_known and ends_here):
                continue
        end = first.end()
        second = re.match(rf"\s+({_NAME_WORD})", text[end:])
        if (
            second
            and _is_name_word(second.group(1), strong=False)
            and (
                second.group(1)[0].isupper() or (strong and second.group(1).lower() in FIRST_NAMES)
            )
        ):
            end += second.end()
        spans.append((first.start(), end))
    return spans


def _replace_names(text: str) -> tuple[str, int]:
    spans = _names_after(_STRONG_CUE, text, True) + _names_after(_WEAK_CUE, text, False)
    tail = _SIGN_OFF_END.search(text)
    if tail and _is_name_word(tail.group(1), strong=False) and tail.group(1)[0].isupper():
        spans.append(tail.span(1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + NAME + text[end:]
    return text, len(merged)


def _pattern_rule(pattern: re.Pattern, placeholder: str) -> Callable[[str], tuple[str, int]]:
    def apply(text: str) -> tuple[str, int]:
        return pattern.subn(placeholder, text)

    return apply


# In this order: an email's digits are not a phone, a street number is not a card.
RULES: tuple[tuple[str, Callable[[str], tuple[str, int]]], ...] = tuple(
    (placeholder, _pattern_rule(pattern, placeholder))
    for placeholder, pattern in (
        (EMAIL, PLAIN_EMAIL_RE),
        (EMAIL, EMAIL_RE),
        (ADDRESS, ADDRESS_RE),
        (ADDRESS, PO_BOX_RE),
        (POSTAL_CODE, POSTAL_RE),
        (DOB, DOB_RE),
        (DOB, OLD_DATE_RE),
        (PHONE, PHONE_RE),
        (HEALTH_CARD, HEALTH_CARD_RE),
        (PHONE, LOCAL_PHONE_RE),
    )
) + ((NAME, _replace_names),)


def scrub(text: str) -> Scrubbed:
    """The text with every personal detail found replaced by its placeholder."""
    replaced: list[str] = []
    for placeholder, rule in RULES:
        text, n = rule(text)
        replaced.extend([placeholder] * n)
    return Scrubbed(text, tuple(replaced))


_LONG_DIGITS = re.compile(r"\d(?:[\s().+-]*\d){6,}")
_CARD_CUE = re.compile(
    r"\b(?:health\s*card|care\s*card|ahc(?:ip)?|phn|personal\s+health|ulid|sin|"
    r"social\s+insurance|insurance\s+(?:number|no|#)|policy\s+(?:number|no|#)|member\s+id)\b"
    r"[^\n]{0,20}\d",
    re.IGNORECASE,
)
_BIRTH_WITH_DIGITS = re.compile(rf"\b{_BIRTH_CUE}[^\n]{{0,25}}\d", re.IGNORECASE)
_CONTACT_CUE = re.compile(
    r"\b(?:my\s+name|call\s+me\s+(?:at|on)|reach\s+me|text\s+me|email\s+me|"
    r"my\s+(?:cell|phone|number|email|address)\s+is|i\s+live\s+(?:at|on))\b",
    re.IGNORECASE,
)
# After a contact cue, a placeholder within a few small words ("is", "at", "on").
_FILLED = re.compile(r"(?:[\s:,'’s-]|\b(?:is|at|on|by|me)\b)*\[", re.IGNORECASE)
_STREET_WORD = re.compile(rf"\b\d+\s+(?:\w+\s+){{0,3}}(?:{_STREET_TYPES})\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=[a-z,;:]\s)([A-Z][a-z]{1,20})\b")


def still_personal(text: str) -> list[str]:
    """What in (scrubbed) text still looks personal; empty when it seems clean."""
    bare = text
    for placeholder in PLACEHOLDERS:
        bare = bare.replace(placeholder, " ")
    reasons: list[str] = []
    if _LONG_DIGITS.search(bare):
        reasons.append("a long run of digits")
    if "@" in bare or re.search(r"\bdot\s+(?:com|ca|net|org)\b", bare, re.IGNORECASE):
        reasons.append("something like an email")
    if _CARD_CUE.search(bare):
        reasons.append("a card or insurance number")
    if _BIRTH_WITH_DIGITS.search(bare):
        reasons.append("a birth date")
    if _STREET_WORD.search(bare):
        reasons.append("something like a street address")
    for contact in _CONTACT_CUE.finditer(text):
        if not _FILLED.match(text, contact.end()):
            reasons.append(f"'{contact.group().lower()}' with no placeholder after it")
            break
    for word in _CAPITALISED.findall(bare):
        if word.lower() in FIRST_NAMES:
            reasons.append("a first name")
            break
    return reasons
