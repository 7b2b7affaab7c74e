"""Targeted questions about a possible red flag, asked in the visitor's own words.

clinical.md section 2: when the words are unclear, ask about that very thing, quoting it,
before moving on. The quote is the visitor's clause; the question names the one flag.
"""

from __future__ import annotations

QUOTE_LIMIT = 120

QUESTIONS = {
    "bladder_dysfunction": "is peeing different since the back pain began: harder to start, "
    "leaking, or not feeling when you need to go?",
    "bowel_dysfunction": "is it new that you can't control your bowels or can't feel when you "
    "need to go?",
    "saddle_numbness": "does it feel numb or different around your genitals, bottom or inner "
    "thighs?",
    "bilateral_leg_symptoms": "is it in both legs: pain, numbness or weakness on both sides?",
    "leg_weakness": "is that foot or leg getting weaker, dragging or giving way?",
    "sexual_dysfunction": "is it a new problem with sex since the back pain began?",
    "major_trauma": "did the pain start after a serious accident, like a car crash or a fall "
    "from a height?",
    "chest_pain": "do you have pain, pressure or tightness in your chest?",
    "fainting": "have you fainted or blacked out?",
    "fever": "do you have a fever, chills or sweats now?",
    "feeling_unwell": "do you feel very unwell in yourself, not just the back?",
    "recent_infection": "have you had an infection recently?",
    "iv_drug_use": "do you inject drugs?",
    "immunosuppression": "do you take medicine that weakens your immune system, like steroids, "
    "chemotherapy or transplant medicine?",
    "cancer_history": "have you ever had cancer yourself?",
    "weight_loss": "are you losing weight without trying?",
    "night_pain": "is the pain severe at night or at rest, whatever position you are in?",
    "osteoporosis_fall": "do you have thin bones (osteoporosis) or take steroids, and did this "
    "start after a fall or a lift?",
}


def confirmation(flag: str, quote: str) -> dict:
    """Slot values for asking about ``flag``; empty when there is no question for it."""
    question = QUESTIONS.get(flag)
    if question is None:
        return {}
    quote = " ".join(quote.split())
    if len(quote) > QUOTE_LIMIT:
        quote = quote[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return {
        "pending_red_flag": flag,
        "pending_red_flag_quote": quote,
        "pending_red_flag_question": question,
        "confirm_red_flag": None,
    }
