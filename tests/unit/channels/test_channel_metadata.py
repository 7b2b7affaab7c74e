"""Client metadata is a small JSON object or refused."""

import pytest

from bot.channels.metadata import MAX_METADATA_BYTES, MetadataRefused, bounded_metadata


def test_small_objects_pass_and_none_is_empty():
    assert bounded_metadata(None) == {}
    assert bounded_metadata({"page": "/back-pain", "a": {"b": {"c": [1]}}}) == {
        "page": "/back-pain",
        "a": {"b": {"c": [1]}},
    }


@pytest.mark.parametrize(
    "value",
    [
        "page",
        ["page"],
        {"page": "x" * MAX_METADATA_BYTES},
        {"a": {"b": {"c": {"d": {"e": 1}}}}},
        {"a": [[[[1]]]]},
        {"a": "é" * (MAX_METADATA_BYTES // 2)},  # counted in UTF-8 bytes
    ],
)
def test_anything_else_is_refused(value):
    with pytest.raises(MetadataRefused, match="metadata"):
        bounded_metadata(value)


def test_depth_is_measured_without_walking_a_deep_value_to_the_bottom():
    deep: dict = {}
    for _ in range(100_000):
        deep = {"a": deep}
    with pytest.raises(MetadataRefused, match="nest"):
        bounded_metadata(deep)
