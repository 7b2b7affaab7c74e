import pytest

from bot.nlp.flag_pointers import pointed_flags


@pytest.mark.parametrize(
    "text, flags",
    [
        ("just the weight thing", ["weight_loss"]),
        ("only the fever one", ["fever"]),
        ("the bladder part yes", ["bladder_dysfunction"]),
        ("none of it except the cancer, had it in 2015", ["cancer_history"]),
        ("no, not the weight thing", []),
        ("just the weight of the box", []),
        ("no, just the numbness in my toes", []),
        ("nope", []),
    ],
)
def test_an_answer_that_points_at_one_safety_item(text, flags):
    assert [flag for flag, _, _ in pointed_flags(text)] == flags
