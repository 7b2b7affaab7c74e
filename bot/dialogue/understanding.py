"""Turn one parsed visitor message into updates of the triage slots.

Pure logic (no Rasa import): the input is the ``latest_message`` dict Rasa keeps
(the intent, and the entities ``bot.nlp`` put on it: clinical facts with canonical values
and an optional ``negated`` role, and ``cue`` entities saying how the message answers),
the current slot values and the slot the form asked for. It reads no text itself: every
reading of words is in ``bot.nlp``. The output is a dict of slot updates. Red flags are
taken from any message, whatever was asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.dialogue.confirmations import confirmation

BACK_LOCATIONS = ("low_back", "buttock", "hip")
LEG_PARTS = {
    "leg": "leg",
    "thigh": "thigh",
    "knee": "thigh",
    "calf": "below_knee",
    "shin": "below_knee",
    "ankle": "below_knee",
    "foot": "foot",
    "toes": "foot",
}
OTHER_LOCATIONS = {
    "neck": "neck",
    "upper_back": "upper_back",
    "shoulder": "upper_back",
    "chest": "chest",
    "abdomen": "abdomen",
    "head": "head",
    "groin": "other",
    "other": "other",
}
RADIATION_ORDER = ("none", "buttock", "thigh", "leg", "below_knee", "foot")
SIDES = ("left", "right", "both", "central")
YES_NO_SLOTS = ("leg_numbness", "leg_weakness", "worse_sitting")
CONFIRM_SLOT = "confirm_red_flag"
SCREEN_FLAGS = {
    "screen_cauda": "cauda_equina_screen_positive",
    "screen_serious": "serious_illness_screen_positive",
    "screen_injury_night": "injury_or_night_pain_screen_positive",
}
CHILD_AGE_BELOW = 16
#: The days ``bot.nlp.duration`` gives "for ages" (approximate): asked about, not classed.
VAGUE_LONG_DAYS = 365.0
# Intents whose message is an attempt to answer the question asked; anything else
# (a FAQ, a booking request...) leaves the question open for the form to resume.
ANSWER_INTENTS = ("inform", "affirm", "deny", "dont_know", "nlu_fallback", "red_flag")


def _values(entities: Iterable[Mapping[str, Any]], label: str, negated: bool = False) -> list[Any]:
    return [
        e.get("value")
        for e in entities
        if e.get("entity") == label and (e.get("role") == "negated") == negated
    ]


def _furthest(extents: Iterable[str]) -> str | None:
    ranked = [x for x in extents if x in RADIATION_ORDER]
    return max(ranked, key=RADIATION_ORDER.index) if ranked else None


def _location_updates(
    entities, slots, is_correction: bool, asked_radiation: bool = False
) -> dict[str, Any]:
    parts = [p for p in _values(entities, "body_part") if isinstance(p, str)]
    updates: dict[str, Any] = {}
    current = slots.get("pain_location")
    back = [p for p in parts if p in BACK_LOCATIONS]
    other = [OTHER_LOCATIONS[p] for p in parts if p in OTHER_LOCATIONS]
    if asked_radiation:  # "to the groin, not the leg": where it spreads, not where it is
        other = [o for o in other if o != "other"]
    legs = [LEG_PARTS[p] for p in parts if p in LEG_PARTS]
    knee_only = "knee" in parts and not [p for p in parts if p in LEG_PARTS and p != "knee"]
    if _back_ruled_out(entities, parts) and (current is None or is_correction):
        updates["pain_location"] = "other"  # "my back is fine, it's the hip joint / the heel"
    elif back and (current in (None, "leg") or is_correction):
        updates["pain_location"] = back[0]
    elif knee_only and not back and not other and (current is None or is_correction):
        updates["pain_location"] = "other"  # a knee on its own is not pain from the back
    elif other and not back and (current is None or is_correction):
        updates["pain_location"] = other[0]
    elif legs and current is None:
        updates["pain_location"] = "leg"
    location = updates.get("pain_location", current)
    symptomatic = _values(entities, "symptom") or [
        v for v in _values(entities, "radiation") if v != "none"
    ]
    if legs and location in BACK_LOCATIONS and (symptomatic or asked_radiation):
        extent = _furthest(x for x in legs if x != "leg")
        if extent and slots.get("radiation") in (None, "none", "leg", "buttock"):
            updates["radiation"] = extent
    return updates


#: Places that, with the back said to be fine, are a complaint of their own (clinical.md
#: section 1): not the buttock or the leg, which can be pain from the back.
NOT_FROM_THE_BACK = frozenset({"hip", "knee", "foot", "toes", "ankle", "groin", *OTHER_LOCATIONS})


def _back_ruled_out(entities, parts) -> bool:
    """ "Back is okay, deep ache in the groin": the back is ruled out and the pain named is
    somewhere that is not pain from the back; or the hip joint is named as the problem."""
    if "low_back" in parts:
        return False
    if "hip_joint" in _values(entities, "condition"):
        return True  # "the doctor said it's arthritis of the hip": the hip joint itself
    if {"hip", "groin"} <= set(parts) and "buttock" not in parts:
        return True  # "my hip, the front, into the groin when I walk": the hip joint
    if "low_back" not in _values(entities, "body_part", negated=True):
        return False
    named = set(parts)
    return bool(named & NOT_FROM_THE_BACK) and not named & {"buttock", "thigh", "calf", "shin"}


def _radiation_update(entities, slots, is_correction: bool) -> dict[str, Any]:
    # "down my leg" says nothing about how far: leave the question open.
    told = _furthest(v for v in _values(entities, "radiation") if v != "leg")
    if told is None:
        return {}
    current = slots.get("radiation")
    if is_correction or current in (None, "none", "leg") or told == "none":
        return {"radiation": told}
    return {"radiation": _furthest([current, told])}


def _symptom_updates(entities) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    said, denied = set(_values(entities, "symptom")), set(_values(entities, "symptom", True))
    if said & {"numbness", "tingling"}:
        updates["leg_numbness"] = True
    elif denied & {"numbness", "tingling"}:
        updates["leg_numbness"] = False
    if "weakness" in said:
        updates["leg_weakness"] = True
    elif "weakness" in denied:
        updates["leg_weakness"] = False
    return updates


def _aggravator_updates(entities, slots, cues) -> dict[str, Any]:
    said = list(dict.fromkeys(a for a in _values(entities, "aggravator") if isinstance(a, str)))
    denied = _values(entities, "aggravator", True)
    if "sitting_fine" in cues:  # "sitting is fine, it's running that hurts"
        said = [a for a in said if a != "sitting"]
        denied = {*denied, "sitting"}
    updates: dict[str, Any] = {}
    if said:
        known = list(slots.get("aggravators") or [])
        updates["aggravators"] = known + [a for a in said if a not in known]
        if "sitting" in said:
            updates["worse_sitting"] = True
    if "sitting" in denied:
        updates["worse_sitting"] = False
    return updates


def _person_updates(entities, slots, cues) -> dict[str, Any]:
    # Whose pain it is gets settled when the pain is first described: later, or next to
    # the visitor's own pain, a child mentioned in passing ("lifting my toddler") is not
    # the patient.
    if slots.get("pain_location") is not None or "first_person_pain" in cues:
        return {}
    ages = [a for a in _values(entities, "age") if isinstance(a, (int, float))]
    if ages:  # "my 17 year old son" is not a child for triage
        return {"visitor_is_child": ages[-1] < CHILD_AGE_BELOW}
    children = [e for e in entities if e.get("entity") == "subject" and e.get("value") == "child"]
    if any((e.get("additional_info") or {}).get("is_subject") for e in children):
        return {"visitor_is_child": True}
    return {}


def _condition_updates(entities) -> dict[str, Any]:
    """Pregnant now: out of scope (clinic policy); "not pregnant any more": in scope. The
    kidney-stone pattern: out of scope, see a doctor today (clinical.md section 2)."""
    found: dict[str, Any] = {}
    if "kidney_stone_pattern" in _values(entities, "condition"):
        found["kidney_stone_pattern"] = True
    if "pregnant" in _values(entities, "condition"):
        return {**found, "visitor_is_pregnant": True}
    if "pregnant" in _values(entities, "condition", negated=True):
        return {**found, "visitor_is_pregnant": False}
    return found


def _is_vague(entity: Mapping[str, Any]) -> bool:
    """ "for ages", "a long time", "a few weeks": too vague to class, so the bot asks for a
    rough guess (an answer to that question is taken as it is)."""
    info = entity.get("additional_info") or {}
    if info.get("vague"):
        return True
    return bool(info.get("approximate")) and info.get("days") == VAGUE_LONG_DAYS


def _stated_durations(entities, asked: bool = True, history: bool = False) -> list[float]:
    """Durations in the message, leaving out ones the visitor rules out ("not 2 weeks"),
    and vague ones ("for ages") unless the visitor is answering the question. Unless the
    message tells a history of flare-ups (``history``), durations tied to the pain's span
    ("for 3 weeks", "since Monday") win over the length of another event."""
    days = []
    durations = [e for e in entities if e.get("entity") == "duration"]
    about_pain = [e for e in durations if (e.get("additional_info") or {}).get("about_pain")]
    if about_pain and len(about_pain) < len(durations):
        # "aching for 1.5 months ... lost 8 kg since September": the pain's own duration
        entities = [e for e in entities if e.get("entity") != "duration" or e in about_pain]
        durations = about_pain
    anchored = [e for e in durations if (e.get("additional_info") or {}).get("anchored")]
    if anchored and len(anchored) < len(durations) and not history:
        # "an ache since last Christmas, when I spent two days on an air mattress"
        entities = [e for e in entities if e.get("entity") != "duration" or e in anchored]
    for entity in entities:
        value = entity.get("value")
        if entity.get("entity") != "duration" or entity.get("role") == "negated":
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        if _is_vague(entity) and not asked:
            continue
        days.append(float(value))
    return days


def _duration_updates(entities, slots, asked: bool, is_correction: bool):
    updates: dict[str, Any] = {}
    patterns = [p for p in _values(entities, "pain_pattern") if p in ("recurrent", "constant")]
    answering = asked or slots.get("rephrase_slot") is not None
    days = _stated_durations(entities, answering, history="recurrent" in patterns)
    known = slots.get("pain_duration_days") is not None
    # Once known, a duration changes only when asked or corrected: "standing for a long
    # time" while describing what makes it worse is not how long the pain has lasted.
    if days and (not known or asked or is_correction):
        updates["pain_duration_days"] = days[0] if is_correction else days[-1]
        if "recurrent" in patterns:
            # "goes out every fall, for ten years; this one started a week ago": flare-ups
            # over years are chronic (clinical.md section 1), so the history counts.
            updates["pain_duration_days"] = max(days)
    if patterns:
        updates["pain_pattern"] = patterns[-1]
    return updates


def _sides_of_the_back(entities) -> bool:
    """ "Both sides of my back / waist": said of the back, never of the legs."""
    both = [
        e
        for e in entities
        if e.get("entity") == "side" and e.get("value") == "both" and e.get("role") != "negated"
    ]
    return bool(both) and all((e.get("additional_info") or {}).get("of_back") for e in both)


def _side_update(entities, slots, is_correction: bool) -> dict[str, Any]:
    sides = [s for s in _values(entities, "side") if s in SIDES]
    if not sides:
        return {}
    if _sides_of_the_back(entities) and set(sides) - {"both"}:
        # "both sides of my waist ... only the left leg": the leg's side
        sides = [s for s in sides if s != "both"]
    side = "both" if "both" in sides or {"left", "right"} <= set(sides) else sides[-1]
    if slots.get("pain_side") == "both" and not is_correction:
        return {}
    return {"pain_side": side}


def _yes_or_no(intent: str, cues) -> bool | None:
    """True for yes, False for no, None when the message is neither."""
    if "answer_no" in cues:
        return False
    if "answer_yes" in cues:
        return True
    return {"affirm": True, "deny": False}.get(intent)


def _about_the_legs(entities, slots, requested_slot) -> bool:
    """Whether "both sides" is about the legs: legs named, or the side asked for leg pain."""
    if any(part in LEG_PARTS for part in _values(entities, "body_part")):
        return True
    leg_pain = slots.get("radiation") in ("thigh", "below_knee", "foot")
    leg_pain = leg_pain or slots.get("pain_location") == "leg"
    leg_pain = leg_pain or "radiation" in (slots.get("unknown_facts") or [])
    return requested_slot == "pain_side" and leg_pain


def _answer_to_question(
    intent: str, cues, requested: str, updates: dict[str, Any], rephrased: bool
) -> dict[str, Any]:
    """Yes/no answers to the question that was asked (``rephrased``: asked a second time)."""
    if requested in updates:
        return {}
    if requested == "pain_side":
        sides = {side for side in SIDES if f"side_{side}" in cues}
        if sides:
            return {"pain_side": "both" if "both" in sides or len(sides) > 1 else sides.pop()}
        return {}
    if requested == "worse_sitting" and "question" not in cues:
        # The question is "what makes it worse?": an answer that names something else
        # ("twisting", "everything") says sitting is not the clear aggravator.
        if "sitting_named" in cues:
            return {"worse_sitting": "answer_no" not in cues}
        if "answer_yes" not in cues and intent != "affirm":  # the Yes button is /affirm
            return {"worse_sitting": False}
    yes = _yes_or_no(intent, cues)
    if yes is None:
        return {}
    if requested in YES_NO_SLOTS:
        return {requested: yes}
    if requested in SCREEN_FLAGS:
        if yes and not rephrased and "qualified" in cues:
            return {"rephrase_slot": requested}
        return {requested: yes}
    if requested == "radiation" and not yes:
        return {"radiation": "none"}
    return {}


def slot_updates(
    message: Mapping[str, Any], slots: Mapping[str, Any], requested_slot: str | None
) -> dict[str, Any]:
    """Slot updates that the visitor's latest message supports."""
    intent = (message.get("intent") or {}).get("name") or ""
    entities = [e for e in message.get("entities") or [] if isinstance(e, Mapping)]
    cues = frozenset(_values(entities, "cue"))
    is_correction = "correction" in cues

    updates: dict[str, Any] = {}
    asked_radiation = requested_slot == "radiation"
    updates.update(_location_updates(entities, slots, is_correction, asked_radiation))
    updates.update(_radiation_update(entities, slots, is_correction))
    updates.update(_symptom_updates(entities))
    updates.update(_aggravator_updates(entities, slots, cues))
    updates.update(_person_updates(entities, slots, cues))
    updates.update(_condition_updates(entities))
    asked_duration = requested_slot == "pain_duration_days"
    updates.update(_duration_updates(entities, slots, asked_duration, is_correction))
    updates.update(_side_update(entities, slots, is_correction))
    if requested_slot:
        rephrased = slots.get("rephrase_slot") == requested_slot
        updates.update(_answer_to_question(intent, cues, requested_slot, updates, rephrased))
        if requested_slot == "worse_sitting" and "aggravators" in updates:
            updates.setdefault("worse_sitting", "sitting" in updates["aggravators"])

    flags = list(slots.get("red_flags") or [])
    new_flags = [f for f in _values(entities, "red_flag") if isinstance(f, str)]
    if requested_slot == CONFIRM_SLOT:
        updates.update(_confirmation_answer(intent, cues, slots, new_flags))
    elif not flags and not new_flags and not slots.get("pending_red_flag"):
        updates.update(_possible_flag(entities, slots.get("red_flags_ruled_out") or []))
    both_legs = updates.get("pain_side") == "both" and not _sides_of_the_back(entities)
    if both_legs and _about_the_legs(entities, slots, requested_slot):
        new_flags.append("bilateral_leg_symptoms")  # pain in both legs: clinical.md section 2
    new_flags += [flag for slot, flag in SCREEN_FLAGS.items() if updates.get(slot) is True]
    if any(f not in flags for f in new_flags):
        updates["red_flags"] = flags + [f for f in dict.fromkeys(new_flags) if f not in flags]

    # Drop updates that change nothing, so the tracker only records real news.
    updates = {k: v for k, v in updates.items() if slots.get(k) != v}
    updates.update(_unanswered(intent, requested_slot, slots, updates))
    return updates


def _possible_flag(entities, ruled_out) -> dict[str, Any]:
    """A red flag the semantic layer is unsure of: ask about it, quoting the visitor.

    A flag the visitor already said no to is not asked about again."""
    for entity in entities:
        flag = entity.get("value")
        if entity.get("entity") == "possible_red_flag" and isinstance(flag, str):
            if flag in ruled_out:
                continue
            quote = (entity.get("additional_info") or {}).get("quote") or ""
            return confirmation(entity["value"], str(quote))
    return {}


def _confirmation_answer(intent, cues, slots, new_flags) -> dict[str, Any]:
    """Yes adds the flag asked about; no clears it; anything else is left to rephrasing."""
    yes = _yes_or_no(intent, cues)
    if yes is None and not new_flags:
        return {}
    pending = slots.get("pending_red_flag")
    if (yes or new_flags) and isinstance(pending, str):
        new_flags.append(pending)
    answer = {"confirm_red_flag": bool(yes or new_flags), "pending_red_flag": None}
    if not answer["confirm_red_flag"] and isinstance(pending, str):
        answer["red_flags_ruled_out"] = [*(slots.get("red_flags_ruled_out") or []), pending]
    return answer


def _unanswered(intent, requested_slot, slots, updates) -> dict[str, Any]:
    """Rephrase a question once when it was not answered, then mark the fact unknown.

    A message that is not an answer (a question, off-topic words) leaves the question open
    for the form to ask again once the message is answered; a second one in a row moves
    on (``skipped_facts``), so no question holds a visitor more than twice."""
    if not requested_slot:
        return {}
    if requested_slot in updates:
        cleared = {"rephrase_slot": None} if slots.get("rephrase_slot") else {}
        return {**cleared, "question_skipped": None} if slots.get("question_skipped") else cleared
    if intent not in ANSWER_INTENTS and not updates:
        if slots.get("question_skipped") != requested_slot:
            return {"question_skipped": requested_slot}
        skipped = list(slots.get("skipped_facts") or [])
        return {"skipped_facts": skipped + [requested_slot], "question_skipped": None}
    if intent not in ANSWER_INTENTS or (updates and intent != "dont_know"):
        return {}
    if slots.get("rephrase_slot") != requested_slot:
        return {"rephrase_slot": requested_slot}
    unknown = list(slots.get("unknown_facts") or [])
    return {"unknown_facts": unknown + [requested_slot], "rephrase_slot": None}
