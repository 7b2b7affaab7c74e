"""How long the pain has lasted, in days: ``parse_duration`` and the ``backchat_duration`` pipe.

Conventions (vague amounts come back with ``approximate=True``):

* a month is 365.25 / 12 days, a year 365.25 days;
* "a few" = 3, "a couple" = 2, "several" = 4, "many" = 5 (of the unit that follows);
* a bare plural ("for weeks", "years ago") counts as "a few" of that unit;
* "for ages", "forever", "a long time", "all my life" = ``FOR_AGES_DAYS``;
* "since march" counts from the 1st of the most recent March (mid-/late- shift it);
* hours count only with "ago" or "past/last"; minutes never (they describe how long
  the visitor can sit or walk, not how long the pain has lasted);
* frequencies ("3 times a week", "every few months"), future or relative spans
  ("in 2 weeks", "after 2 weeks"), ages ("67 years old") and how long an activity can be
  kept up ("sitting for a long time", "can't stand for a few minutes") are not durations.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.clauses import segment_of
from bot.nlp.extensions import SPANS_KEY
from bot.nlp.numbers import NUMBER_RE, VAGUE, parse_number

FOR_AGES_DAYS = 365.0
BARE_PLURAL_AMOUNT = 3.0
MAX_DAYS = 150 * 365.25
DAYS_PER_MONTH = 365.25 / 12

_UNIT_DAYS = {
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "fortnight": 14.0,
    "month": DAYS_PER_MONTH,
    "year": 365.25,
    "decade": 3652.5,
}
_UNIT_WORDS = {
    "hour": r"hrs?|hours?",
    "day": r"dys?|days?",
    "week": r"wks?|weeks?|weks?",
    "fortnight": r"fortnights?",
    "month": r"mons?|mths?|mnths?|months?|monts?|mos?",
    "year": r"yrs?|years?|yeras?|yers?",
    "decade": r"decades?",
}
# "mo" and single letters only straight after digits: "6mo", "6 mo", "2w", "3d", "1y", "48h"
_UNIT_LETTERS = {"h": "hour", "d": "day", "w": "week", "y": "year"}
_UNIT_RE = (
    "|".join(f"(?:{w})" for u, w in _UNIT_WORDS.items() if u != "month")
    + r"|mons?|mths?|mnths?|months?|monts?|(?<=\d)mos?|(?<=\d\s)mos?|(?<=\d)[hdwy]"
)

RECURRENT_RE = re.compile(
    r"\b(?:on\s*(?:and|&|/|-)\s*off|off\s*(?:and|&)\s*on|comes?\s+and\s+goes|come\s+and\s+go"
    r"|coming\s+and\s+going|came\s+and\s+went|flare[sd]?(?:[\s-]*ups?)?|flaring"
    r"|(?:keeps?|kept)\s+(?:coming|going)\s+back|back\s+again|recurr\w*|recurs?|intermittent\w*"
    r"|every\s+(?:now\s+and\s+(?:then|again)|so\s+often|few\s+\w+|other\s+\w+)"
    r"|(?:from\s+)?time\s+to\s+time|now\s+and\s+(?:then|again)|episod\w*|periodically"
    r"|once\s+in\s+a\s+while)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Duration:
    """How long the pain has lasted."""

    days: float
    recurrent: bool = False
    approximate: bool = False


@dataclass(frozen=True)
class DurationMatch:
    """A duration found at ``text[start:end]``."""

    start: int
    end: int
    duration: Duration


_APPROX = (
    r"(?:(?P<approx>about|around|roughly|approximately|approx\.?|almost|nearly|over|more\s+than"
    r"|less\s+than|under|at\s+least|just\s+over|just\s+under|maybe|probably|close\s+to|~)\s*)?"
)
_QUANTITY = re.compile(
    rf"(?<![\w.]){_APPROX}(?P<n1>{NUMBER_RE})(?:\s*(?:-|–|to|or)\s*(?P<n2>{NUMBER_RE}))?"
    rf"(?P<half1>\s+and\s+a\s+half|\s*½)?\s*(?P<unit>{_UNIT_RE})(?![a-z])"
    r"(?P<half2>\s+and\s+a\s+half)?(?P<suffix>\s+ago|\s+or\s+so|\s*\+|\s*-?ish|\s+plus)?",
    re.IGNORECASE,
)
_HALF_A = re.compile(rf"\bhalf\s+an?\s+(?P<unit>{_UNIT_RE})(?![a-z])(?P<suffix>\s+ago)?", re.I)
_BARE_PLURAL = re.compile(
    r"\b(?:(?:for|over|since|the\s+(?:past|last)|over\s+the\s+(?:past|last))\s+"
    r"(?P<unit>days|weeks|months|years|yrs|decades)"
    r"|(?P<unit2>days|weeks|months|years|yrs|decades)\s+(?:ago|now)"
    r"|^\W*(?P<unit3>days|weeks|months|years|yrs|decades)(?:\s+and\s+(?P=unit3))?\W*$)\b",
    re.IGNORECASE,
)
_ENDS_WITH_NUMBER = re.compile(rf"(?<![\w.]){NUMBER_RE}\s*$", re.IGNORECASE)
_LONG = re.compile(
    r"\b(?:(?:for|since)\s+)?(?:ages|donkey'?s\s+years|forever|a\s+(?:very\s+)?long\s+(?:time|while)"
    r"|as\s+long\s+as\s+i\s+can\s+remember|all\s+my\s+(?:adult\s+)?life|my\s+whole\s+life"
    r"|since\s+i\s+was\s+(?:a\s+)?(?:kid|child|teen|teenager|young|little))\b",
    re.IGNORECASE,
)
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "weds": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_WEEKDAY = re.compile(
    r"\b(?:since|from|started(?:\s+on)?|began(?:\s+on)?|last|on)\s+(?:last\s+|this\s+past\s+)?"
    rf"(?P<wd>{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = re.compile(
    r"\b(?:since|from|started\s+in|began\s+in|starting\s+in|last)\s+"
    r"(?:(?P<part>early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)[\s-]*)?(?:last\s+)?"
    rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\b"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: A calendar date: "started october 10th", "since the 3rd of november", "on oct 2".
_DATE = re.compile(
    r"\b(?:since|from|on|started(?:\s+on)?|began(?:\s+on)?|around|about|it\s+was)\s+"
    rf"(?:(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_NAMES}))\b",
    re.IGNORECASE,
)
#: "years. like 3", "weeks, maybe 5": the unit first, then the number.
_UNIT_THEN_NUMBER = re.compile(
    r"\b(?P<unit>days|weeks|months|years|yrs)\W+(?:like|about|maybe|around|probably|prob|roughly"
    rf"|almost|nearly)?\s*(?P<n>{NUMBER_RE})\s*$",
    re.IGNORECASE,
)
#: "on and off since i was like 30 and im 52 now": the years between the two ages.
_SINCE_AGE = re.compile(
    r"\bsince\s+i\s+was\s+(?:like\s+|about\s+|around\s+|maybe\s+)?(?:(?P<then>\d{1,2})\b"
    r"|in\s+my\s+(?:early\s+|mid\s+|late\s+)?(?P<decade>twenties|thirties|forties|fifties"
    r"|sixties|seventies|20s|30s|40s|50s|60s|70s)\b)"
    r"(?=.*?\bi'?\s*a?m\s+(?:now\s+)?(?P<now>\d{1,2})\b)",
    re.I | re.S,
)
_YEAR = re.compile(
    r"\b(?:since|from|started\s+in|began\s+in)\s+(?:about\s+|around\s+|like\s+|roughly\s+"
    r"|approximately\s+|maybe\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_HOLIDAY = re.compile(
    r"\b(?P<prep>since|from|over|after|before|around|last)\s+(?:last\s+|the\s+)?"
    r"(?P<hol>christmas|xmas|x-mas|new\s+years?(?:'s|’s)?(?:\s+(?:day|eve))?|boxing\s+day|easter"
    r"|thanksgiving|halloween|canada\s+day)\b",
    re.IGNORECASE,
)
_SEASON = re.compile(
    r"\b(?:(?:since|from|over|during)\s+(?:the\s+)?(?P<season>spring|summer|autumn|winter)"
    r"|(?:since\s+)?last\s+(?P<last>spring|summer|autumn|fall|winter))\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<phrase>since\s+yesterday|yesterday|since\s+last\s+night|since\s+this\s+morning"
    r"|this\s+(?:morning|afternoon|evening)|since\s+today|started\s+today"
    r"|(?:since|over|at|on)\s+the\s+weekend|(?:since\s+)?last\s+weekend"
    r"|(?:since\s+)?last\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
_NOT_A_DURATION_BEFORE = re.compile(
    r"(?:\b(?:times|once|twice|every|per|each|x|in|within|next|after)|\dx)\s*(?:a|an|per|every)?\s*$",
    re.IGNORECASE,
)
_NOT_A_DURATION_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:old|of\s+age|pregnant|post[\s-]?partum|out\s+of|after|before|later)\b",
    re.IGNORECASE,
)
_ACTIVITY_BEFORE = re.compile(  # "sitting for a long time" is about sitting, not the pain
    r"\b(?:sit|sits|sitting|sat|stand|stands|standing|stood|walk|walks|walking|walked|drive"
    r"|drives|driving|drove|lie|lying|lay|laying|bend|bending|run|running"
    # "massages which helped for a day": how long relief lasted, not the pain
    r"|helped|helps|help|worked|works|lasted|lasts|eased|eases|relief|better|fine|good)"
    r"(?:\s+(?:for|about|around|over|more\s+than|longer\s+than|up\s+to))*\s*$",
    re.IGNORECASE,
)
_HOURS_ALLOWED_BEFORE = re.compile(r"\b(?:past|last)\s*$", re.IGNORECASE)


def _unit_of(word: str) -> str | None:
    word = word.lower()
    if word in _UNIT_LETTERS:
        return _UNIT_LETTERS[word]
    return next((u for u, pattern in _UNIT_WORDS.items() if re.fullmatch(pattern, word)), None)


def _quantity(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    unit = _unit_of(match["unit"])
    first = parse_number(match["n1"])
    if unit is None or first is None:
        return None
    amount = first
    if match["n2"]:
        second = parse_number(match["n2"])
        if second is None:
            return None
        amount = (first + second) / 2
    if match["half1"] or match["half2"]:
        amount += 0.5
    suffix = (match["suffix"] or "").strip().lower()
    if (
        unit == "hour"
        and suffix != "ago"
        and not _HOURS_ALLOWED_BEFORE.search(text[: match.start()])
    ):
        return None
    vague = match["n1"].lower() in VAGUE and match["n1"].lower() not in ("a", "an")
    approximate = bool(match["approx"] or match["n2"] or vague or suffix not in ("", "ago"))
    return Duration(amount * _UNIT_DAYS[unit], approximate=approximate)


def _half_a(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    unit = _unit_of(match["unit"])
    return None if unit is None else Duration(0.5 * _UNIT_DAYS[unit])


def _bare_plural(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    unit = _unit_of(match["unit"] or match["unit2"] or match["unit3"])
    if unit is None or _ENDS_WITH_NUMBER.search(text[: match.start()]):
        return None  # "3 weeks now" is a quantity
    return Duration(BARE_PLURAL_AMOUNT * _UNIT_DAYS[unit], approximate=True)


def _long(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    return Duration(FOR_AGES_DAYS, approximate=True)


def _days_since(start: datetime.date, today: datetime.date) -> float | None:
    days = (today - start).days
    return float(days) if days >= 0 else None


def _weekday(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    days = (today.weekday() - _WEEKDAYS[match["wd"].lower()]) % 7 or 7
    return Duration(float(days))


def _most_recent(today: datetime.date, make: Callable[[int], datetime.date]) -> datetime.date:
    candidate = make(today.year)
    return candidate if candidate <= today else make(today.year - 1)


def _month(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    month = _MONTHS[match["month"].lower()]
    part = (match["part"] or "").lower()
    day = (
        15
        if ("mid" in part or "middle" in part)
        else 25
        if ("late" in part or "end" in part)
        else 1
    )
    if match["year"]:
        start = datetime.date(int(match["year"]), month, day)
    else:
        start = _most_recent(today, lambda y: datetime.date(y, month, day))
    days = _days_since(start, today)
    return None if days is None else Duration(days, approximate=True)


def _date(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    if not 1 <= day <= 31:
        return None
    start = _most_recent(today, lambda y: datetime.date(y, month, day))
    days = _days_since(start, today)
    return None if days is None else Duration(days)


def _unit_then_number(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    amount = parse_number(match["n"])
    unit = _unit_of(match["unit"])
    if amount is None or unit is None:
        return None
    return Duration(amount * _UNIT_DAYS[unit], approximate=True)


_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
_DECADES["seventies"] = 70


def _since_age(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    """Years between the two ages; "in my thirties" counts from the decade's start."""
    decade = (match["decade"] or "").lower()
    then = match["then"] or _DECADES.get(decade) or decade[:2]
    years = int(match["now"]) - int(then)
    return Duration(years * _UNIT_DAYS["year"], approximate=True) if years > 0 else None


def _year(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    days = _days_since(datetime.date(int(match["year"]), 1, 1), today)
    return None if days is None else Duration(days, approximate=True)


def _holiday_date(name: str, year: int) -> datetime.date:
    name = " ".join(name.lower().replace("’", "'").split())
    if name in ("christmas", "xmas", "x-mas"):
        return datetime.date(year, 12, 25)
    if name == "boxing day":
        return datetime.date(year, 12, 26)
    if name.endswith("eve"):
        return datetime.date(year, 12, 31)
    if name.startswith("new year"):
        return datetime.date(year, 1, 1)
    if name == "easter":
        from dateutil.easter import easter

        return easter(year)
    if name == "thanksgiving":  # Canada: second Monday of October
        first = datetime.date(year, 10, 1)
        return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7)
    if name == "halloween":
        return datetime.date(year, 10, 31)
    return datetime.date(year, 7, 1)  # canada day


def _holiday(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    start = _most_recent(today, lambda y: _holiday_date(match["hol"], y))
    approximate = match["prep"].lower() in ("around", "before", "over")
    return Duration(float((today - start).days), approximate=approximate)


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    name = (match["season"] or match["last"]).lower()
    start = _most_recent(today, lambda y: datetime.date(y, _SEASON_START[name], 1))
    if match["last"] and (today - start).days < 92:  # "last summer" said in summer
        start = start.replace(year=start.year - 1)
    return Duration(float((today - start).days), approximate=True)


def _relative(match: re.Match, text: str, today: datetime.date) -> Duration | None:
    phrase = " ".join(match["phrase"].lower().split())
    if "weekend" in phrase:
        return Duration(float((today.weekday() - 5) % 7 or 7), approximate=True)
    for unit in ("week", "month", "year"):
        if phrase.endswith("last " + unit):
            return Duration(_UNIT_DAYS[unit], approximate=True)
    if "yesterday" in phrase or "night" in phrase:
        return Duration(1.0, approximate="night" in phrase)
    return Duration(0.0)


_RULES = (
    (_QUANTITY, _quantity),
    (_HALF_A, _half_a),
    (_BARE_PLURAL, _bare_plural),
    (_LONG, _long),
    (_WEEKDAY, _weekday),
    (_MONTH, _month),
    (_DATE, _date),
    (_UNIT_THEN_NUMBER, _unit_then_number),
    (_SINCE_AGE, _since_age),
    (_YEAR, _year),
    (_HOLIDAY, _holiday),
    (_SEASON, _season),
    (_RELATIVE, _relative),
)


def _candidates(text: str, today: datetime.date) -> Iterator[DurationMatch]:
    for regex, handler in _RULES:
        for match in regex.finditer(text):
            before = text[max(0, match.start() - 30) : match.start()]
            if _NOT_A_DURATION_BEFORE.search(before) or _ACTIVITY_BEFORE.search(before):
                continue
            if _NOT_A_DURATION_AFTER.search(text[match.end() : match.end() + 20]):
                continue
            try:
                duration = handler(match, text, today)
            except (ValueError, OverflowError):  # dates out of range
                duration = None
            if duration is not None:
                days = min(max(duration.days, 0.0), MAX_DAYS)
                duration = Duration(days, duration.recurrent, duration.approximate)
                yield DurationMatch(match.start(), match.end(), duration)


def find_durations(text: str, today: datetime.date) -> list[DurationMatch]:
    """All non-overlapping durations in ``text`` (longest first wins), in text order."""
    chosen: list[DurationMatch] = []
    ranked = sorted(_candidates(text, today), key=lambda m: (m.start - m.end, m.start))
    for candidate in ranked:
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda m: m.start)


def is_recurrent(text: str) -> bool:
    """Whether the text describes on-and-off, recurring pain."""
    return RECURRENT_RE.search(text) is not None


def parse_duration(text: str, today: datetime.date) -> Duration | None:
    """The longest duration mentioned in ``text``, ``recurrent`` if the pain comes and goes.

    >>> parse_duration("on and off for 3 wks", datetime.date(2024, 5, 1))
    Duration(days=21.0, recurrent=True, approximate=False)
    """
    found = find_durations(text, today)
    if not found:
        return None
    longest = max(found, key=lambda m: m.duration.days).duration
    return Duration(longest.days, is_recurrent(text), longest.approximate)


class DurationTagger:
    """spaCy pipe: marks durations as ``duration`` entities with ``span._.days``.

    A duration overlapping an entity found earlier goes to ``doc.spans["backchat"]``
    instead, so ruler entities are never replaced. ``span._.recurrent`` is true when the
    sentence says the pain comes and goes.
    """

    def __init__(self, today: Callable[[], datetime.date] | None = None) -> None:
        self._today = today or datetime.date.today

    @staticmethod
    def _recurrent(doc: Doc, span: Span) -> bool:
        start, end = segment_of(doc, span.start, span.end)
        clause = doc[start:end]
        if any(e.label_ == "pain_pattern" and e.id_ == "recurrent" for e in clause.ents):
            return True
        return is_recurrent(clause.text)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        extra = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        for found in find_durations(doc.text, self._today()):
            span = doc.char_span(found.start, found.end, "duration", alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            span._.days = found.duration.days
            span._.approximate = found.duration.approximate
            span._.recurrent = self._recurrent(doc, span)
            if any(span.start < e.end and e.start < span.end for e in ents):
                extra.append(span)
            else:
                ents.append(span)
        doc.ents = sorted(ents, key=lambda s: s.start)
        if extra:
            doc.spans[SPANS_KEY] = extra
        return doc


@Language.factory("backchat_duration")
def make_duration_tagger(nlp: Language, name: str) -> DurationTagger:
    """Factory for :class:`DurationTagger`."""
    return DurationTagger()
