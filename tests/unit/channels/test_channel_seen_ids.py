"""The one bounded memory of handled message ids: per scope, least recently seen forgotten."""

from bot.channels.seen_ids import SeenIds


def test_an_id_is_new_once():
    seen = SeenIds(size=2)
    assert seen.first_time("a")
    assert not seen.first_time("a")
    assert seen.first_time("b")
    assert seen.first_time("c")
    assert seen.first_time("a"), "only the last `size` ids are kept"


def test_message_ids_are_remembered_per_session():
    seen = SeenIds(size=3, scopes=2)
    assert seen.first_time("m1", scope="s1")
    assert not seen.first_time("m1", scope="s1")
    assert seen.first_time("m1", scope="s2"), "ids are per session"
    for m in ("m2", "m3", "m4"):
        assert seen.first_time(m, scope="s1")
    assert seen.first_time("m1", scope="s1"), "only the last few ids are kept"


def test_only_the_most_recent_sessions_are_remembered():
    seen = SeenIds(size=3, scopes=2)
    seen.first_time("m", scope="s1")
    seen.first_time("m", scope="s2")
    seen.first_time("m", scope="s3")
    assert seen.first_time("m", scope="s1"), "s1 was the least recently used"
    assert not seen.first_time("m", scope="s3")
