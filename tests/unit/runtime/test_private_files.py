"""Generated secrets: written once with O_EXCL and mode 600, read back by every later start."""

import os
import stat
import threading

import pytest

from bot.runtime.private_files import SecretFileError, load_or_create_secret


def test_a_secret_is_generated_once_with_mode_600_and_then_read(tmp_path):
    path = tmp_path / "var" / "a-secret"
    old_umask = os.umask(0)  # a lax umask must not make the file readable by others
    try:
        first = load_or_create_secret(path, lambda: "generated-value")
    finally:
        os.umask(old_umask)
    assert first == "generated-value"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_or_create_secret(path, lambda: "another value") == "generated-value"


def test_a_file_another_process_is_still_writing_is_read_once_written(tmp_path):
    path = tmp_path / "a-secret"
    path.touch(mode=0o600)  # created by the other process, value not written yet
    writer = threading.Timer(0.2, lambda: path.write_text("theirs\n"))
    writer.start()
    try:
        assert load_or_create_secret(path, lambda: "ours") == "theirs"
    finally:
        writer.join()


def test_many_processes_starting_together_share_one_secret(tmp_path):
    path = tmp_path / "a-secret"
    values, start = [], threading.Barrier(8)

    def load(n: int) -> None:
        start.wait()
        values.append(load_or_create_secret(path, lambda: f"value-{n}"))

    threads = [threading.Thread(target=load, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(values)) == 1 and path.read_text().strip() == values[0]


@pytest.mark.parametrize("stored", ["", "tiny\n"])
def test_an_empty_or_short_stored_secret_is_reported_with_its_path(tmp_path, stored):
    path = tmp_path / "a-secret"
    path.write_text(stored)
    with pytest.raises(SecretFileError, match="a-secret"):
        load_or_create_secret(path, lambda: "x" * 40, min_length=32)
