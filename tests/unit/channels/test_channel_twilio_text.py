"""Bot messages as plain text (SMS, WhatsApp) and typed answers mapped back to options."""

from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.choices import offered_buttons, payload_for_reply
from bot.channels.text_rendering import (
    advice_first,
    message_text,
    plain_links,
    turn_bodies,
)

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_markdown_links_become_plain_urls():
    assert plain_links("Read [our page](https://x.ca/a) now") == "Read our page: https://x.ca/a now"
    assert plain_links("[https://x.ca](https://x.ca)") == "https://x.ca"
    assert plain_links("[x.ca/b](https://x.ca/b)") == "https://x.ca/b"
    assert plain_links("Book: https://x.ca/book.") == "Book: https://x.ca/book."


def test_a_message_with_buttons_links_and_an_image():
    message = {
        "text": "Pick one",
        "buttons": [*YES_NO, {"title": "Our page", "url": "https://x.ca"}],
        "image": "https://x.ca/a.png",
        "custom": {"text": "From a [custom](https://x.ca/c) payload"},
    }
    assert message_text(message) == (
        "Pick one\n\n1. Yes\n2. No\n(Reply with a number, or type your answer.)\n\n"
        "Our page: https://x.ca\n\nhttps://x.ca/a.png\n\n"
        "From a custom: https://x.ca/c payload"
    )
    assert message_text({"custom": {"blocks": []}}) == ""  # nothing sensible to show
    assert message_text({"quick_replies": YES_NO, "text": "Q"}).startswith("Q\n\n1. Yes")


def test_red_flag_advice_goes_first_and_the_rest_keeps_its_order():
    messages = [
        {"text": "a"},
        {"text": "b", "utter_action": "utter_result_summary"},
        {"text": "Call 911", "utter_action": "utter_emergency"},
        {"text": "c"},
    ]
    assert [m["text"] for m in advice_first(messages)] == ["Call 911", "a", "b", "c"]
    assert turn_bodies(messages) == ["Call 911\n\na\n\nb\n\nc"]


def test_bodies_stay_under_the_limit_even_for_one_huge_paragraph():
    bodies = turn_bodies([{"text": "x" * 50 + " " + "y" * 30}], limit=40)
    assert all(len(b) <= 40 for b in bodies) and "".join(bodies).replace(" ", "") == (
        "x" * 50 + "y" * 30
    ).replace(" ", "")
    assert turn_bodies([]) == [] and turn_bodies([{"text": "  "}]) == []


def test_the_options_offered_are_those_since_the_visitor_last_spoke():
    asked = BotUttered("Numb?", {"buttons": YES_NO})
    assert offered_buttons([UserUttered("hi"), asked, BotUttered("(note)")]) == YES_NO
    assert offered_buttons([asked, UserUttered("no"), BotUttered("Name?")]) == []
    assert offered_buttons([]) == []


def test_replies_map_to_payloads():
    assert payload_for_reply("1", YES_NO) == "/affirm"
    assert payload_for_reply(" 2) ", YES_NO) == "/deny"
    assert payload_for_reply("YES", YES_NO) == "/affirm"
    assert payload_for_reply("0", YES_NO) is None
    assert payload_for_reply("3", YES_NO) is None
    assert payload_for_reply("yes please", YES_NO) is None
    assert payload_for_reply("1", []) is None
