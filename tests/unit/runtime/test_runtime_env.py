"""Environment values are read one way: unset means the default, a bad value names it."""

import pytest

from bot.runtime.env import SettingsError, env_bool, env_choice, env_float, env_int

NAME = "BACKCHAT_SOMETHING"


@pytest.mark.parametrize(
    "parse",
    [
        lambda env: env_int(env, NAME, 7, 1, 10),
        lambda env: env_float(env, NAME, 7.0, 1, 10),
        lambda env: env_bool(env, NAME, True),
        lambda env: env_choice(env, NAME, ("a", "b"), "a"),
    ],
)
def test_unset_or_empty_means_the_default(parse):
    assert parse({}) == parse({NAME: ""}) == parse({NAME: "  "})


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (lambda env: env_int(env, NAME, 7, 1, 10), "10", 10),
        (lambda env: env_float(env, NAME, None, 0, 1), "0.25", 0.25),
        (lambda env: env_bool(env, NAME), "Yes", True),
        (lambda env: env_bool(env, NAME, True), "off", False),
        (
            lambda env: env_choice(env, NAME, ("embedded", "production")),
            " Production ",
            "production",
        ),
    ],
)
def test_a_good_value_is_read(parse, raw, expected):
    assert parse({NAME: raw}) == expected


@pytest.mark.parametrize(
    ("parse", "raw"),
    [
        (lambda env: env_int(env, NAME, 7, 1, 10), "11"),
        (lambda env: env_int(env, NAME, 7, 1, 10), "2.5"),
        (lambda env: env_int(env, NAME, 7, 1, 10), "-1"),
        (lambda env: env_float(env, NAME, 7.0, 1, 10), "soon"),
        (lambda env: env_float(env, NAME, 7.0, 1, 10), "nan"),
        (lambda env: env_float(env, NAME, 7.0, 1, 10), "0.5"),
        (lambda env: env_bool(env, NAME), "maybe"),
        (lambda env: env_choice(env, NAME, ("a", "b"), "a"), "c"),
    ],
)
def test_a_bad_value_fails_the_same_way_naming_the_variable(parse, raw):
    with pytest.raises(SettingsError, match=rf"^{NAME}: expected .*, got {raw.strip().lower()!r}"):
        parse({NAME: raw})
