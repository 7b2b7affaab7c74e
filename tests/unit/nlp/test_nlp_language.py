"""English, another language, or no words: the rules behind the English-only reply."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlp.language import TextKind, classify_text

ENGLISH = [
    "my lower back is killing me",
    "hi",
    "3",
    "2 weeks",
    "yes",
    "shooting down my left leg to the foot",
    "pins and needles in my toes",
    "my bum hurts when I drive",
    "I had dolor in my back, as my Spanish teacher says",
    "hola, my back hurts",
    "la la la my back hurts",
    "ça va? my back hurts since last week",
    "Je suis... sorry, I mean my back is sore",
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    "my back hurts 😭",
    "naïve question: does acupuncture hurt?",
    "hallo",
    "ciao",
    "ciao, thanks for the help",
]
OTHER_LANGUAGES = [
    "haben sie am samstag geöffnet?",
    "êtes-vous ouvert samedi",
    "j'ai mal au dos depuis deux semaines",
    "Bonjour",
    "hallo, was kostet ein termin",
    "ciao, ho mal di schiena",
    "combien coûte une séance",
    "me duele la espalda desde hace un mes",
    "hola tengo dolor de espalda",
    "ich habe seit drei Wochen Rückenschmerzen",
    "eu tenho dor nas costas",
    "ho mal di schiena da una settimana",
    "masakit ang likod ko po",
    "tôi bị đau lưng",
    "我的腰很痛",
    "ਮੇਰੀ ਪਿੱਠ ਵਿੱਚ ਦਰਦ ਹੈ",
    "أعاني من ألم في أسفل الظهر",
    "у меня болит спина",
    "허리가 아파요",
]
NO_WORDS = ["😭😭😭", "???", "...", "👍", "   ", "", "\u200b", "🙏 !!"]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_stays_english(text):
    assert classify_text(text) is TextKind.ENGLISH


@pytest.mark.parametrize("text", OTHER_LANGUAGES)
def test_other_languages_are_recognised(text):
    assert classify_text(text) is TextKind.OTHER_LANGUAGE


@pytest.mark.parametrize("text", NO_WORDS)
def test_messages_without_letters_or_digits_have_no_words(text):
    assert classify_text(text) is TextKind.NO_WORDS


@given(st.text(max_size=300))
def test_any_text_gets_a_kind(text):
    assert classify_text(text) in set(TextKind)


@given(st.lists(st.sampled_from(["my", "back", "hurts", "leg", "the", "pain", "for"]), min_size=1))
def test_plain_english_words_are_never_another_language(words):
    assert classify_text(" ".join(words)) is TextKind.ENGLISH
