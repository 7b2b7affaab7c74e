"""``backchat_red_flag_rules``: red flags that need two facts, from non-negated entities.

* ``bilateral_leg_symptoms``: a leg symptom (pain, numbness, tingling, weakness, burning,
  shooting, sciatica or radiation) within ``MAX_GAP`` tokens of legs said to be "both" /
  "bilateral" / "left and right", in one clause; plural legs alone ("my legs are numb",
  "pain down my legs") count for nerve symptoms and radiation, not for a plain ache
  ("my legs ache after running").
* ``osteoporosis_fall``: osteoporosis and a fall or lift in the same message.
* ``saddle_numbness``: numbness or tingling and the groin, inner thighs or private parts in
  one clause, in either order ("my inner thighs and around my bum have gone numb").
* ``kidney_stone_pattern`` (a ``condition``, not a red flag): coloured urine with two of
  one side or flank, pain in waves, spreading to the groin.
* ``weight_loss``: losing weight and a sign that it is unexplained ("I don't know why", "no
  reason", "without trying") within a few words: "I lose weight a lot and I don't know
  why", not "I've been trying to lose weight".

Derived spans go to ``doc.spans["backchat"]`` (they overlap the entities they come from).
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.clauses import segments
from bot.nlp.extensions import SPANS_KEY

LEG_REGION = frozenset({"leg", "thigh", "calf", "shin", "foot"})
PLURAL_LEGS = frozenset(
    {"legs", "feet", "thighs", "calves", "calfs", "shins", "lgs", "leggs", "hamstrings", "limbs"}
)
LEG_SYMPTOMS = frozenset({"pain", "numbness", "tingling", "weakness", "burning", "shooting"})
NERVE_SYMPTOMS = LEG_SYMPTOMS - {"pain"}
SADDLE_SYMPTOMS = frozenset({"numbness", "tingling"})
MAX_GAP = 5
FALL_WORDS = frozenset(
    {"fell", "fall", "fallen", "falling", "falls", "tripped", "trip", "slipped", "slip", "lifted",
     "lifting", "lift", "picked", "stumbled", "tumbled", "landed", "jarred", "twisted"}
)  # fmt: skip
FALL_DISTANCE = 30
LOSS_WORDS = frozenset({"lose", "losing", "lost", "loses", "dropping", "dropped", "shedding"})
WEIGHT_WORDS = frozenset(
    {"weight", "pounds", "lbs", "lb", "kg", "kgs", "kilos", "kilograms", "stone"}
)
UNEXPLAINED_CUES = (
    "n't know why", "nt know why", "not know why", "no idea why", "not sure why",
    "no reason", "without trying", "not trying", "not dieting", "without dieting",
    "unexplained", "can't explain", "cannot explain", "n't been trying", "nt been trying",
    "not been trying", "clothes are falling off", "clothes falling off", "clothes hanging off",
)  # fmt: skip
UNEXPLAINED_WINDOW = 8
URINE_COLOUR = re.compile(
    r"\b(pee|urine|wee|piss)\b[^.?!]{0,40}\b(pink|pinkish|red|reddish|brown|brownish|bloody"
    r"|blood|dark|cola|tea)\b|\b(blood|pink|red|brown)\w*\s+(in\s+(my|the)\s+)?(pee|urine|wee)\b",
    re.I,
)
FLANK = re.compile(
    r"\b(flank|my side|left side|right side|one side|under (my|the) ribs|kidney)\b", re.I
)
WAVES = re.compile(r"\b(waves?|comes and goes|colicky|spasms?|cramping)\b", re.I)
GROIN = re.compile(r"\b(groin|testicles?|balls|labia|down the front|inner thigh)\b", re.I)
#: Without coloured urine, only the plain colic: one side, in waves, into the groin.
COLIC_WAVES = re.compile(r"\b((in|like)( a)? waves?|waves of|colicky)\b", re.I)
COLIC_GROIN = re.compile(r"\b(groin|testicles?|balls|labia)\b", re.I)


FALL_DENIALS = frozenset({"n't", "nt", "not", "no", "never", "without", "hasnt", "hasn't"})


def _denied_before(doc: Doc, i: int) -> bool:
    """ "she hasn't fallen", "no falls", "never fell": a fall that did not happen."""
    return any(doc[j].lower_ in FALL_DENIALS for j in range(max(0, i - 3), i))


def _gap(a: Span, b: Span) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def _positive(spans: list[Span]) -> list[Span]:
    return [s for s in spans if not s._.negated]


class RedFlagRules:
    """spaCy pipe adding red flags derived from combinations of entities."""

    def __call__(self, doc: Doc) -> Doc:
        extra = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        facts = _positive(list(doc.ents) + extra)
        derived = (
            self._kidney_stone_pattern(doc)
            + self._bilateral(doc, facts)
            + self._osteoporosis_fall(doc, facts)
            + self._saddle(doc, facts)
            + self._unexplained_weight_loss(doc, facts)
        )
        if derived:
            doc.spans[SPANS_KEY] = extra + derived
        return doc

    @staticmethod
    def _bilateral(doc: Doc, facts: list[Span]) -> list[Span]:
        found = []
        for start, end in segments(doc):
            inside = [f for f in facts if f.start >= start and f.end <= end]
            legs = [f for f in inside if f.label_ == "body_part" and f.id_ in LEG_REGION]
            both = [f for f in inside if f.label_ == "side" and f.id_ == "both"]
            both_legs = [leg for leg in legs if any(0 <= leg.start - b.end <= 3 for b in both)]
            plural_legs = [leg for leg in legs if leg[-1].lower_ in PLURAL_LEGS]
            symptoms = [
                f
                for f in inside
                if (f.label_ == "symptom" and f.id_ in LEG_SYMPTOMS)
                or (f.label_ == "condition" and f.id_ == "sciatica")
                or (f.label_ == "radiation" and f.id_ != "none")
            ]
            pairs = [(s, b) for s in symptoms for b in both_legs if _gap(s, b) <= MAX_GAP]
            pairs += [
                (s, b)
                for s in symptoms
                for b in plural_legs
                if _gap(s, b) <= MAX_GAP and (s.label_ != "symptom" or s.id_ in NERVE_SYMPTOMS)
            ]
            if pairs:
                first = min(min(s.start, b.start) for s, b in pairs)
                last = max(max(s.end, b.end) for s, b in pairs)
                found.append(
                    Span(doc, first, last, label="red_flag", span_id="bilateral_leg_symptoms")
                )
        return found

    @staticmethod
    def _saddle(doc: Doc, facts: list[Span]) -> list[Span]:
        found = []
        for start, end in segments(doc):
            inside = [f for f in facts if f.start >= start and f.end <= end]
            regions = [f for f in inside if f.label_ == "body_part" and f.id_ == "groin"]
            numb = [f for f in inside if f.label_ == "symptom" and f.id_ in SADDLE_SYMPTOMS]
            if regions and numb:
                first = min(f.start for f in regions + numb)
                last = max(f.end for f in regions + numb)
                found.append(Span(doc, first, last, label="red_flag", span_id="saddle_numbness"))
        return found

    @staticmethod
    def _unexplained_weight_loss(doc: Doc, facts: list[Span]) -> list[Span]:
        if any(f.label_ == "red_flag" and f.id_ == "weight_loss" for f in facts):
            return []  # the patterns already found it
        lower = [t.lower_ for t in doc]
        # "lost weight", "dropped like 20 pounds"
        losses = [
            i
            for i in range(len(doc) - 1)
            if lower[i] in LOSS_WORDS and WEIGHT_WORDS & set(lower[i + 1 : i + 5])
        ]
        for i in losses:
            after = " ".join(lower[i + 2 : i + 2 + UNEXPLAINED_WINDOW * 2])
            cue = next((c for c in UNEXPLAINED_CUES if f" {c} " in f" {after} "), None)
            if cue:
                end = i + 2 + lower[i + 2 :].index(cue.split()[-1]) + 1
                return [Span(doc, i, end, label="red_flag", span_id="weight_loss")]
        return []

    @staticmethod
    def _kidney_stone_pattern(doc: Doc) -> list[Span]:
        """One side or flank, in waves, to the groin, with coloured urine (clinical.md
        section 2): not the back, and not for booking. Coloured urine and two of the rest,
        or without it the whole colic ("left side ... comes in waves ... into my groin")."""
        text = doc.text
        urine = URINE_COLOUR.search(text)
        cues = sum(bool(cue.search(text)) for cue in (FLANK, WAVES, GROIN))
        colic = [cue.search(text) for cue in (FLANK, COLIC_WAVES, COLIC_GROIN)]
        if urine and cues >= 2:
            found = urine
        elif all(colic):
            found = colic[1]
        else:
            return []
        span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
        if span is None:
            return []
        return [Span(doc, span.start, span.end, label="condition", span_id="kidney_stone_pattern")]

    @staticmethod
    def _osteoporosis_fall(doc: Doc, facts: list[Span]) -> list[Span]:
        bones = [f for f in facts if f.label_ == "condition" and f.id_ == "osteoporosis"]
        falls = [t for t in doc if t.lower_ in FALL_WORDS and not _denied_before(doc, t.i)]
        for bone in bones:
            near = [t for t in falls if abs(t.i - bone.start) <= FALL_DISTANCE]
            if near:
                first = min(bone.start, near[0].i)
                last = max(bone.end, near[-1].i + 1)
                return [Span(doc, first, last, label="red_flag", span_id="osteoporosis_fall")]
        return []


@Language.factory("backchat_red_flag_rules")
def make_red_flag_rules(nlp: Language, name: str) -> RedFlagRules:
    """Factory for :class:`RedFlagRules`."""
    return RedFlagRules()
