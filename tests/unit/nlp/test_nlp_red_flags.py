"""Red flags (clinical.md section 2) in visitors' words, denied ones and false friends."""

import pytest

from bot.nlp.entities import to_rasa_entities
from bot.triage import RED_FLAGS as TRIAGE_RED_FLAGS
from tests.support.nlp import shared_nlp as nlp


def red_flags(text):
    """Red-flag ids said (not negated) in ``text``."""
    return {
        e["value"]
        for e in to_rasa_entities(nlp()(text))
        if e["entity"] == "red_flag" and "role" not in e
    }


def denied_red_flags(text):
    return {
        e["value"]
        for e in to_rasa_entities(nlp()(text))
        if e["entity"] == "red_flag" and e.get("role") == "negated"
    }


RED_FLAGS = [
    # cauda equina: bladder
    ("I can't pee", "bladder_dysfunction"),
    ("I cant pee properly since yesterday", "bladder_dysfunction"),
    ("I cannot urinate", "bladder_dysfunction"),
    ("trouble peeing", "bladder_dysfunction"),
    ("I'm having difficulty passing urine", "bladder_dysfunction"),
    ("struggling to pee", "bladder_dysfunction"),
    ("I wet myself this morning", "bladder_dysfunction"),
    ("I've been wetting myself", "bladder_dysfunction"),
    ("I can't control my bladder", "bladder_dysfunction"),
    ("I don't feel when I need to pee", "bladder_dysfunction"),
    ("I can't tell when my bladder is full", "bladder_dysfunction"),
    ("leaking urine", "bladder_dysfunction"),
    ("I lost control of my bladder", "bladder_dysfunction"),
    ("I haven't peed since last night", "bladder_dysfunction"),
    ("some bladder problems lately", "bladder_dysfunction"),
    ("I'm incontinent now", "bladder_dysfunction"),
    ("weak stream when I go", "bladder_dysfunction"),
    ("I have no bladder control", "bladder_dysfunction"),
    ("I can't feel it coming out when I pee", "bladder_dysfunction"),
    # bowel
    ("I pooed myself", "bowel_dysfunction"),
    ("I can't control my bowels", "bowel_dysfunction"),
    ("I lost bowel control", "bowel_dysfunction"),
    ("I can't feel when I need to go", "bowel_dysfunction"),
    ("don't feel the urge to poo", "bowel_dysfunction"),
    ("I soiled myself", "bowel_dysfunction"),
    ("bowel incontinence", "bowel_dysfunction"),
    ("I've not been able to go for a poo", "bowel_dysfunction"),
    # saddle
    ("numb around my privates", "saddle_numbness"),
    ("my groin is numb", "saddle_numbness"),
    ("numbness in my groin", "saddle_numbness"),
    ("my bum feels numb", "saddle_numbness"),
    ("numb around my anus", "saddle_numbness"),
    ("it feels different when I wipe", "saddle_numbness"),
    ("I can't feel the toilet paper when I wipe", "saddle_numbness"),
    ("saddle numbness", "saddle_numbness"),
    ("numb down there", "saddle_numbness"),
    ("tingling between my legs", "saddle_numbness"),
    ("no feeling in my genitals", "saddle_numbness"),
    ("numbness on my inner thighs", "saddle_numbness"),
    # both legs
    ("numbness in both legs", "bilateral_leg_symptoms"),
    ("tingling in both of my legs", "bilateral_leg_symptoms"),
    ("pain down both legs", "bilateral_leg_symptoms"),
    ("both my legs are numb", "bilateral_leg_symptoms"),
    ("my legs are weak and numb", "bilateral_leg_symptoms"),
    ("pins and needles in both feet", "bilateral_leg_symptoms"),
    ("shooting pain in my left and right leg", "bilateral_leg_symptoms"),
    ("bilateral sciatica", "bilateral_leg_symptoms"),
    ("sciatica down both legs", "bilateral_leg_symptoms"),
    # leg weakness
    ("I have foot drop", "leg_weakness"),
    ("my foot is dragging when I walk", "leg_weakness"),
    ("my foot drags", "leg_weakness"),
    ("my leg gives way", "leg_weakness"),
    ("my legs keep giving way", "leg_weakness"),
    ("my legs are getting weaker", "leg_weakness"),
    ("I can't lift my foot", "leg_weakness"),
    ("I can't walk on my heels", "leg_weakness"),
    ("I keep tripping over my foot", "leg_weakness"),
    # sexual
    ("I can't get an erection", "sexual_dysfunction"),
    ("erectile problems since this started", "sexual_dysfunction"),
    ("no feeling during sex", "sexual_dysfunction"),
    # trauma, chest, fainting
    ("I was in a car crash", "major_trauma"),
    ("car accident last week", "major_trauma"),
    ("I fell off a ladder", "major_trauma"),
    ("I fell off the roof", "major_trauma"),
    ("fall from height at work", "major_trauma"),
    ("I was hit by a car", "major_trauma"),
    ("fell down the stairs", "major_trauma"),
    ("I have chest pain too", "chest_pain"),
    ("pain in my chest", "chest_pain"),
    ("my chest feels tight", "chest_pain"),
    ("I passed out", "fainting"),
    ("I fainted yesterday", "fainting"),
    ("I blacked out for a second", "fainting"),
    ("I feel faint", "fainting"),
    # infection
    ("I have a fever", "fever"),
    ("I've got a high temperature", "fever"),
    ("my temperature right now is 39", "fever"),
    ("the temperature today was 39 and my back is killing me", "fever"),
    ("chills and sweats", "fever"),
    ("I get sweats at night", "fever"),
    ("night sweats", "fever"),
    ("I feel really unwell", "feeling_unwell"),
    ("I feel very sick", "feeling_unwell"),
    ("generally unwell", "feeling_unwell"),
    ("I had a urine infection last week", "recent_infection"),
    ("I'm on antibiotics", "recent_infection"),
    ("it burns when I pee", "recent_infection"),
    ("I inject drugs", "iv_drug_use"),
    ("I used to use IV drugs", "iv_drug_use"),
    ("I'm on chemo", "immunosuppression"),
    ("I had a kidney transplant", "immunosuppression"),
    ("my immune system is weak", "immunosuppression"),
    ("I take immunosuppressants", "immunosuppression"),
    # cancer, weight, night
    ("I had cancer 5 years ago", "cancer_history"),
    ("history of cancer", "cancer_history"),
    ("I had breast cancer", "cancer_history"),
    ("they found a tumour", "cancer_history"),
    ("I've lost weight without trying", "weight_loss"),
    ("unexplained weight loss", "weight_loss"),
    ("lost 10kg for no reason", "weight_loss"),
    ("I've lost a stone in weight without trying", "weight_loss"),
    ("it's worse at night no matter how I lie", "night_pain"),
    ("it wakes me up every night", "night_pain"),
    ("pain at rest", "night_pain"),
    ("no position helps", "night_pain"),
    # fragility
    ("I have osteoporosis and I fell on the ice", "osteoporosis_fall"),
    ("osteoporosis, hurt it lifting a bag", "osteoporosis_fall"),
    ("a compression fracture", "osteoporosis_fall"),
    ("I've been on long-term steroids", "steroid_use"),
    ("I take prednisone for my asthma", "steroid_use"),
    # missed by the rules in cross-validation (make nlu-eval): the intent model alone caught them
    ("i can barely lift my foot", "leg_weakness"),
    ("I can hardly raise my left foot off the floor", "leg_weakness"),
    ("i can't control when i poop", "bowel_dysfunction"),
    ("i cant control when i pee anymore", "bladder_dysfunction"),
    ("i fell down a whole flight of stairs", "major_trauma"),
    ("tumbled down a steep flight of steps at work", "major_trauma"),
    # missed by the rules on the independent held-out set (tests/eval/nlu_heldout.yml)
    ("since yesterday i can barely get my pee started", "bladder_dysfunction"),
    ("i can hardly pee", "bladder_dysfunction"),
    ("I can't get my stream going", "bladder_dysfunction"),
    ("had an accident with my bowels, i didnt feel like i had to go", "bowel_dysfunction"),
    ("I didn't feel like I needed to go", "bowel_dysfunction"),
    ("had an accident in my pants", "bladder_dysfunction"),
    ("my inner thighs and around my bum have gone kinda numb", "saddle_numbness"),
    ("my groin feels tingly since the pain started", "saddle_numbness"),
    ("things dont work in the bedroom anymore", "sexual_dysfunction"),
    ("got t-boned on the whitemud last week", "major_trauma"),
    ("dropped like 25 lbs in 2 months without trying", "weight_loss"),
    ("I've lost 10 kilos", "weight_loss"),
    # missed on the second held-out set (tests/eval/nlu_heldout_2.yml)
    ("I lose weight a lot and I don't know why, also back pain", "weight_loss"),
    ("losing weight and no idea why", "weight_loss"),
    ("lost weight and i dont know why", "weight_loss"),
    ("I keep losing weight even though I'm not dieting", "weight_loss"),
    # missed at first sight on blind-8 and blind-9
    (
        "since yesterday I keep running to the bathroom and sometimes I don't make it in time",
        "bladder_dysfunction",
    ),
    ("not always making it to the loo", "bladder_dysfunction"),
    ("back hurts since rollover on the QE2 sat", "major_trauma"),
    ("lost like 10kg havent been trying tbh", "weight_loss"),
    (
        "I finished the radiation for my prostate back in 2020, my PSA has been fine",
        "cancer_history",
    ),
    ("My son rolled the quad off the edge of the coulee on Saturday", "major_trauma"),
    ("hola, the crash with my car 3 days ago, a truck hit me in the side", "major_trauma"),
    ("feel like crap all over tbh. cant eat, totally wiped out", "feeling_unwell"),
    (
        "since the back started, things don't work for him in the bedroom anymore",
        "sexual_dysfunction",
    ),
    (
        "now that you ask, I've felt awful. Shaky, clammy, and my daughter says I look grey",
        "feeling_unwell",
    ),
    (
        "he got up to use the washroom and just crumpled, he was out for maybe 10 seconds",
        "fainting",
    ),
]


@pytest.mark.parametrize(("text", "flag"), RED_FLAGS)
def test_red_flags(text, flag):
    assert flag in red_flags(text)


def test_every_red_flag_id_is_covered():
    """Every flag a visitor can say (the screening answers are not phrasings)."""
    ids = {flag for _, flag in RED_FLAGS}
    assert ids == {flag for flag in TRIAGE_RED_FLAGS if not flag.endswith("_screen_positive")}


DENIED = [
    ("no fever", "fever"),
    ("no bathroom issues or numbness in private areas", "saddle_numbness"),
    ("No falls, she's never had osteoporosis or cancer", "cancer_history"),
    ("No. My mother, his wife, had cancer but he hasn't", "cancer_history"),
    ("I don't have a fever or chills", "fever"),
    ("I never had cancer", "cancer_history"),
    ("no history of cancer", "cancer_history"),
    ("no problems with my bladder", "bladder_dysfunction"),
    ("I haven't had any trouble peeing", "bladder_dysfunction"),
    ("denies saddle numbness", "saddle_numbness"),
    ("neither fever nor chills", "fever"),
    ("no numbness in both legs", "bilateral_leg_symptoms"),
    ("fever: no", "fever"),
    ("chest pain - none", "chest_pain"),
    ("I had a scan for cancer, it was clear", "cancer_history"),
    ("tested for infection and it came back negative", "recent_infection"),
    ("no bladder or bowel issues", "bowel_dysfunction"),
    ("I have no bowel or bladder problems and no numbness", "bladder_dysfunction"),
    ("nope, no bladder/bowel trouble", "bowel_dysfunction"),
]


@pytest.mark.parametrize(("text", "flag"), DENIED)
def test_denied_red_flags_do_not_count(text, flag):
    assert flag not in red_flags(text)


def test_denied_red_flag_is_kept_with_negated_role():
    assert denied_red_flags("I don't have a fever or chills") == {"fever"}


MIXED = [
    ("no fever but I can't pee", {"bladder_dysfunction"}, {"fever"}),
    ("I have bladder or bowel issues", {"bowel_dysfunction"}, set()),
    ("no pain but bladder or bowel problems", {"bowel_dysfunction"}, set()),
    # "or" joins the list the denial covers: neither fever nor bowel issues
    ("no fever or bowel issues", set(), {"fever", "bowel_dysfunction"}),
    ("no infections or fever, im healthy", set(), {"recent_infection", "fever"}),
    ("no bladder or I can't control my bowels", {"bowel_dysfunction"}, set()),
    ("no fever, I wet myself", {"bladder_dysfunction"}, {"fever"}),
    ("no chills and I can't feel when I wipe", {"saddle_numbness"}, {"fever"}),
    ("not sure if it matters but I passed out", {"fainting"}, set()),
    ("no fever though my legs are numb", {"bilateral_leg_symptoms"}, {"fever"}),
    ("No. I can't control my bladder", {"bladder_dysfunction"}, set()),
    ("I can't walk without pain and I lost control of my bowels", {"bowel_dysfunction"}, set()),
    ("No pain in my legs, just can't control my bladder", {"bladder_dysfunction"}, set()),
    ("no fever and can't pee", {"bladder_dysfunction"}, {"fever"}),
    ("no fever or chills, but I passed out", {"fainting"}, {"fever"}),
    ("I don't have a fever, chills or night sweats", set(), {"fever"}),
    ("I never used to have bladder problems but now I do", {"bladder_dysfunction"}, set()),
    ("I haven't got a temperature, I have chills", {"fever"}, {"fever"}),
    ("I don't know if it's related but I wet myself", {"bladder_dysfunction"}, set()),
    ("No - I can't feel my privates", {"saddle_numbness"}, set()),
    ("nothing else, apart from numbness in both legs", {"bilateral_leg_symptoms"}, set()),
    ("I have never had this before, I can't pee", {"bladder_dysfunction"}, set()),
]


@pytest.mark.parametrize(("text", "said", "denied"), MIXED)
def test_negation_scope_ends_at_the_clause(text, said, denied):
    assert red_flags(text) == said
    assert denied_red_flags(text) == denied


NOT_RED_FLAGS = [
    "I feel terrible about bothering you but my back hurts",
    "Is it true sciatica can make you lose control of your bladder? I'm a bit scared.",
    "I'm 45, I do HVAC, lots of crawling around in attics and crawlspaces.",
    "No, nothing like that, and I can get comfortable at night",
    "my back hurts when I sit on the toilet",
    "I need to pee a lot at night",
    "my back hurts when I cough",
    "numbness in my left foot",
    "pain down my right leg into my calf",
    "my knee gives way sometimes",
    "pain in my back and left leg",
    "I had a steroid injection last year",
    "my dad had prostate cancer",
    "I've been trying to lose weight",
    "it's worse at night",
    "I'm so sick of this",
    "my hay fever is bad",
    "I had an epidural when my son was born",
    "I sit at a desk all day",
    "I can pee fine",
    "pain in both sides of my lower back",
    "I fell asleep on the sofa",
    "it's a faint ache",
    "my bum hurts when I sit",
    "I lift weights at the gym",
    "pain on both sides of my back and down my left leg",
    "my legs ache after running",
    "I have good bladder control",
    "I have a temperature sensitivity in my feet",
    "I had covid last month",
    "I had surgery on my back 2 years ago",
    "my wife has cancer and I'm stressed",
    "it wakes me when I roll over",
    "is there any chance of infection from the needles",
    "can the needles cause an infection",
    "what's the risk of infection",
    "I feel like I have to pee all the time",
    "I didn't feel like going to the gym",
    "pain in my groin when I walk",
    "i lost weight on purpose and my back feels better",
    "i can lift my foot fine",
    "I can only come in on weekends",
    "i can control it with stretching",
    "I'm trying to lose weight for my back",
    # questions about a risk of treatment, not a report of it
    "can acupuncture collapse a lung, i read that online",
    "could the needles puncture a lung",
    "what are the chances of a collapsed lung",
    "can the needle spots get infected",
    "do needle sites ever get infected",
]


@pytest.mark.parametrize("text", NOT_RED_FLAGS)
def test_not_red_flags(text):
    assert red_flags(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "my needle spots got infected",
        "the needle spots are infected",
        "i think i have a collapsed lung",
        "my lung collapsed last week",
        "i collapsed at work",
    ],
)
def test_reports_next_to_the_risk_questions_still_flag(text):
    assert red_flags(text)
