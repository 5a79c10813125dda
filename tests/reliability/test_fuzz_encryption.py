"""Mutated encryption files: a damaged key file or attachment is a clear refusal, never a crash
and never wrong content."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from j3490_desk.errors import DataFolderError
from j3490_desk.storage import encryption as keys
from tests.reliability.fuzz_tally import TRIED

KEY = keys.DataKey(bytes(range(32)), "0011223344556677")
PLAIN = bytes(range(256)) * 9000  # two chunks and a bit
SEALED = io.BytesIO()
keys.encrypt_stream(KEY, io.BytesIO(PLAIN), SEALED)


@pytest.fixture(scope="module")
def settings_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("keyfile")
    settings_, _ = keys.new_key("a long enough passphrase")
    keys.write_settings(folder, settings_)
    return (folder / keys.SETTINGS_FILE).read_text()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_key_file_reads_or_is_refused_clearly(
    data: st.DataObject, settings_text: str, tmp_path: Path
) -> None:
    TRIED["encryption.json reader"] += 1
    document = json.loads(settings_text)
    mutation = data.draw(st.sampled_from(["drop", "replace", "bytes"]))
    if mutation == "bytes":
        raw = bytearray(settings_text.encode())
        for _ in range(data.draw(st.integers(1, 8))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        content = bytes(raw)
    else:
        key = data.draw(st.sampled_from(sorted(document)))
        if mutation == "drop":
            del document[key]
        else:
            document[key] = data.draw(
                st.none() | st.integers() | st.text(max_size=20) | st.lists(st.integers())
            )
        content = json.dumps(document).encode()
    (tmp_path / keys.SETTINGS_FILE).write_bytes(content)
    try:
        keys.read_settings(tmp_path)
    except DataFolderError as error:
        assert "encryption.json" in error.message


@settings(max_examples=300)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(SEALED.getvalue()) - 1), st.integers(1, 255)),
        min_size=1,
        max_size=4,
        unique_by=lambda flip: flip[0],  # the same byte flipped twice would be no change
    ),
    cut=st.none() | st.integers(0, len(SEALED.getvalue()) - 1),
)
def test_mutated_attachment_never_decrypts_to_wrong_content(
    flips: list[tuple[int, int]], cut: int | None
) -> None:
    TRIED["encrypted attachment reader"] += 1
    damaged = bytearray(SEALED.getvalue())
    for position, mask in flips:
        damaged[position] ^= mask
    if cut is not None:
        del damaged[cut:]
    with pytest.raises(keys.ContentDamagedError):
        b"".join(keys.decrypted_chunks(KEY, io.BytesIO(bytes(damaged))))
