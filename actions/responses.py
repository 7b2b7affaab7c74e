"""Which response answers an intent routed to an answer (no Rasa import)."""

INTENT_RESPONSES = {
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
    "other_language": "utter_english_only",
}
# Each question from the clinic's page is its own intent, answered by the response of the
# same name: faq_hours -> utter_faq_hours. "I have a question" gets the menu of questions.
QUESTION_PREFIX = "faq_"


def response_for(intent: str) -> str:
    """The response that answers an intent routed to ``action_answer``."""
    if intent.startswith(QUESTION_PREFIX):
        return f"utter_{intent}"
    return INTENT_RESPONSES.get(intent, "utter_question_menu")
