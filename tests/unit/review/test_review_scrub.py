"""The scrubber (bot/review/scrub.py): personal details out, clinical words in."""

from __future__ import annotations

import pytest

from bot.review.scrub import scrub, still_personal

# (what a visitor typed, the placeholder expected, the detail that must be gone)
PERSONAL = [
    # names after a cue
    ("my name is Sarah Thompson and my back hurts", "[NAME]", "Thompson"),
    ("My name is sarah", "[NAME]", "sarah"),
    ("my name's Gurpreet, lower back pain", "[NAME]", "Gurpreet"),
    ("name: Li Wei", "[NAME]", "Wei"),
    ("Name is Jo-Anne", "[NAME]", "Jo-Anne"),
    ("hi I'm Daniel, my back is sore", "[NAME]", "Daniel"),
    ("Hi, I am Priya and I have sciatica", "[NAME]", "Priya"),
    ("this is Mark calling about my back", "[NAME]", "Mark"),
    ("it's Karen again", "[NAME]", "Karen"),
    ("you can call me Bob", "[NAME]", "Bob"),
    ("call me jim", "[NAME]", "jim"),
    ("I go by Alex", "[NAME]", "Alex"),
    ("first name is Olamide", "[NAME]", "Olamide"),
    ("last name: Nguyen", "[NAME]", "Nguyen"),
    ("full name Harpreet Sandhu", "[NAME]", "Sandhu"),
    ("my doctor is Dr. Chen", "[NAME]", "Chen"),
    ("Mrs Robinson referred me", "[NAME]", "Robinson"),
    ("im sarah", "[NAME]", "sarah"),
    ("thanks, Emily", "[NAME]", "Emily"),
    ("Thank you! - Marcus", "[NAME]", "Marcus"),
    ("cheers, Liam", "[NAME]", "Liam"),
    ("regards, Fatima Khan", "[NAME]", "Khan"),
    ("ok that helps\n- Tom", "[NAME]", "Tom"),
    ("see you soon ~ Beatrice", "[NAME]", "Beatrice"),
    ("names Jordan", "[NAME]", "Jordan"),
    # phone numbers
    ("call me at 780-555-0142", "[PHONE]", "555-0142"),
    ("my number is (780) 555-0142", "[PHONE]", "555-0142"),
    ("7805550142", "[PHONE]", "7805550142"),
    ("+1 780 555 0142", "[PHONE]", "555 0142"),
    ("+17805550142", "[PHONE]", "7805550142"),
    ("1-780-555-0142", "[PHONE]", "555-0142"),
    ("780.555.0142", "[PHONE]", "555.0142"),
    ("780 555 0142 ext 12", "[PHONE]", "ext 12"),
    ("work 780-555-0142 x305", "[PHONE]", "x305"),
    ("(587)555-0199 after 5", "[PHONE]", "555-0199"),
    ("cell: 825-555-0100", "[PHONE]", "555-0100"),
    ("text me on 403 555 0123", "[PHONE]", "555 0123"),
    ("1 (780) 555-0142", "[PHONE]", "555-0142"),
    ("call 555-0142 please", "[PHONE]", "555-0142"),
    ("my cell is 780-555-0142, extension 4", "[PHONE]", "extension 4"),
    ("+1-780-555-0142", "[PHONE]", "555-0142"),
    ("780 5550142", "[PHONE]", "5550142"),
    ("number 780‐555‐0142".replace("‐", "-"), "[PHONE]", "0142"),
    ("reach me at 780-555-0142 or 780-555-0143", "[PHONE]", "0143"),
    # emails
    ("jane.doe@gmail.com", "[EMAIL]", "jane.doe"),
    ("email me at j_smith+back@shaw.ca", "[EMAIL]", "j_smith"),
    ("my email is JOHN@EXAMPLE.ORG", "[EMAIL]", "JOHN@"),
    ("sam dot lee at gmail dot com", "[EMAIL]", "sam dot lee"),
    ("maria (at) telus (dot) net", "[EMAIL]", "maria"),
    ("contact: a.b-c@clinic.co.uk", "[EMAIL]", "a.b-c"),
    ("priya123@outlook.com thanks", "[EMAIL]", "priya123"),
    ("write to kim at hotmail.com", "[EMAIL]", "kim at"),
    ("x@y.io", "[EMAIL]", "x@y"),
    ("my work email is d.smith@ualberta.ca", "[EMAIL]", "d.smith"),
    # addresses (Edmonton style)
    ("I live at 10234 82 Ave NW", "[ADDRESS]", "10234"),
    ("#301-10234 82 Ave NW, Edmonton", "[ADDRESS]", "#301"),
    ("unit 5, 4512 99 St", "[ADDRESS]", "4512"),
    ("12 Oak Street", "[ADDRESS]", "Oak"),
    ("apt 3 11020 Jasper Avenue", "[ADDRESS]", "Jasper"),
    ("1500-10180 101 Street NW", "[ADDRESS]", "10180"),
    ("3415 Parsons Rd", "[ADDRESS]", "Parsons"),
    ("15 Lakeview Cres SW", "[ADDRESS]", "Lakeview"),
    ("5 Rabbit Hill Court", "[ADDRESS]", "Rabbit Hill"),
    ("9924 156 st nw", "[ADDRESS]", "9924"),
    ("123 Main St, St. Albert", "[ADDRESS]", "Main"),
    ("my address is 2211 Rutherford Road SW", "[ADDRESS]", "Rutherford"),
    ("PO Box 4521", "[ADDRESS]", "4521"),
    ("suite 210 10665 Jasper Ave", "[ADDRESS]", "10665"),
    ("78 Heritage Drive", "[ADDRESS]", "Heritage"),
    # postal codes
    ("postal code T5K 2J1", "[POSTAL_CODE]", "T5K"),
    ("t6e4r2", "[POSTAL_CODE]", "t6e4r2"),
    ("Edmonton AB T5J-0N3", "[POSTAL_CODE]", "T5J"),
    ("I'm in T6W 1A5 area", "[POSTAL_CODE]", "T6W"),
    ("T8N 3X2", "[POSTAL_CODE]", "3X2"),
    # dates of birth
    ("DOB 1985-03-12", "[DOB]", "1985"),
    ("dob: 12/03/1985", "[DOB]", "1985"),
    ("date of birth March 3, 1985", "[DOB]", "1985"),
    ("born on 3 March 1985", "[DOB]", "1985"),
    ("my birthday is 14/02/1990", "[DOB]", "1990"),
    ("birthdate 1979.11.02", "[DOB]", "1979"),
    ("D.O.B. 01-01-1960", "[DOB]", "1960"),
    ("I was born 2001-07-15", "[DOB]", "2001"),
    ("born in july 4th, 1976", "[DOB]", "1976"),
    ("05/06/1958", "[DOB]", "1958"),
    ("Jan 5 1962", "[DOB]", "1962"),
    ("date of birth: 22nd of June 1988", "[DOB]", "1988"),
    # Alberta health-card numbers
    ("my health card is 12345-6789", "[HEALTH_CARD]", "12345"),
    ("AHC 1234 5678 9", "[HEALTH_CARD]", "5678"),
    ("ahcip 123456789", "[HEALTH_CARD]", "123456789"),
    ("PHN 98765-4321", "[HEALTH_CARD]", "98765"),
    ("card number 123-456-789", "[HEALTH_CARD]", "456"),
    ("health care # 54321 1234", "[HEALTH_CARD]", "54321"),
    ("here is my number 987654321", "[HEALTH_CARD]", "987654321"),
    ("alberta health 1111-2222-3", "[HEALTH_CARD]", "2222"),
    ("my ahs number is 55555-0000", "[HEALTH_CARD]", "55555"),
    ("12345 6789 is my card", "[HEALTH_CARD]", "6789"),
]

# Several at once, as a call-back answer might be.
MIXED = [
    (
        "Hi I'm Jenny Lau, 780-555-0101, jenny.lau@gmail.com, 10234 82 Ave NW T6E 2A1, "
        "DOB 1980-05-05, health card 12345-6789",
        ["Jenny", "Lau", "555-0101", "jenny.lau", "10234", "T6E", "1980", "12345-6789"],
    ),
    ("my name is Omar and my number is 587 555 0177", ["Omar", "555 0177"]),
    ("thanks, call me at 403.555.0123 - Priya", ["403.555.0123", "Priya"]),
    ("name: Ana Silva; phone (780)555-0111; email ana@silva.ca", ["Silva", "0111", "ana@"]),
]

# Clinical and everyday text that must come out unchanged.
NOT_PERSONAL = [
    "my lower back hurts for 3 weeks",
    "10 days",
    "about 6 months on and off",
    "L4-L5 disc bulge on my MRI",
    "L5-S1 herniation",
    "I'm 45 and otherwise healthy",
    "45M, back pain after moving furniture",
    "I'm not sure",
    "I'm in a lot of pain",
    "I am so tired of this",
    "im fine otherwise",
    "this is my first time",
    "it's worse when I sit",
    "It's been 2 years",
    "thanks so much",
    "Thank you!",
    "the pain is 7/10",
    "pain 8 out of 10 at night",
    "I walk 5 km a day",
    "I take 400 mg ibuprofen 3 times a day",
    "since 2019",
    "I had surgery in 2015",
    "it started on the 3rd",
    "I lifted 50 lbs at work",
    "it hurts 2 different ways",
    "do you take Blue Cross?",
    "what are your hours on Saturday",
    "how much is a session, $90?",
    "I sit 8 hours a day",
    "my left leg goes numb after 20 minutes",
    "I'm worried it's sciatica",
    "I'm pregnant, 24 weeks",
    "C5-C6 is fine, it's the lower back",
    "T12 fracture years ago",
    "3 weeks ago I slipped on ice",
    "Hi, I'm having pain down my right leg",
    "this is killing me",
    "can I book for 2:30 pm?",
    "on a scale of 1-10 it's a 6",
    "twice a week for 4 weeks",
]


@pytest.mark.parametrize("text, placeholder, secret", PERSONAL)
def test_each_detail_is_replaced(text, placeholder, secret):
    done = scrub(text)
    assert placeholder in done.text, done.text
    assert secret not in done.text, done.text
    assert still_personal(done.text) == [], done.text


@pytest.mark.parametrize("text, secrets", MIXED)
def test_several_details_in_one_message(text, secrets):
    done = scrub(text)
    for secret in secrets:
        assert secret not in done.text, done.text
    assert still_personal(done.text) == [], done.text


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_clinical_and_everyday_text_survives(text):
    done = scrub(text)
    assert done.text == text and not done.changed
    assert still_personal(text) == []


def test_there_are_at_least_a_hundred_phrasings():
    assert len(PERSONAL) + sum(len(s) for _, s in MIXED) >= 100


@pytest.mark.parametrize(
    "text, reason",
    [
        ("my card is 1 2 3 4 5 6 7 8 9", "a long run of digits"),
        ("write to me: someone at some place", None),
        ("reach me at the clinic front desk", "'reach me' with no placeholder after it"),
        ("born 12th feb 85", "a birth date"),
        ("I live at the corner of 82 and 104 Ave", "something like a street address"),
        ("ask for Jennifer at reception", "a first name"),
        ("my sin is 046 454 286 0", "a card or insurance number"),
        ("jane(at)gmail", None),
    ],
)
def test_what_is_left_is_flagged_for_a_person(text, reason):
    left = still_personal(scrub(text).text)
    if reason is None:
        return
    assert reason in left, left


def test_placeholders_are_not_personal():
    assert still_personal("[NAME], [PHONE], [EMAIL], [ADDRESS] [POSTAL_CODE] [DOB]") == []
