"""Reading a stream in chunks of whole lines: nothing lost, nothing split mid-line."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_snapshot_cti import bulk
from pytest_snapshot_cti.bulk import _chunks, lines_at, split_lines

_pieces = st.lists(st.sampled_from([b"\n", b"\r\n", b"{}", b"x" * 50, b"\r", b"", b"\xff"]), max_size=60)


@given(pieces=_pieces, chunk=st.integers(min_value=1, max_value=64))
def test_chunks_are_whole_lines_and_add_up_to_the_stream(pieces: list[bytes], chunk: int) -> None:
    data = b"".join(pieces)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bulk, "CHUNK_BYTES", chunk)
        chunks = list(_chunks(io.BytesIO(data)))
    assert b"".join(chunks) == data
    assert all(piece.endswith(b"\n") for piece in chunks[:-1])
    assert [line for piece in chunks for line in split_lines(piece)] == io.BytesIO(data).readlines()


def test_a_line_longer_than_a_chunk_comes_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 4)
    assert list(_chunks(io.BytesIO(b"0123456789\nab\ncd"))) == [b"0123456789\n", b"ab\n", b"cd"]


@given(pieces=_pieces, data=st.data())
def test_lines_at_cuts_the_lines_split_lines_gives(pieces: list[bytes], data: st.DataObject) -> None:
    blob = b"".join(pieces)
    lines = split_lines(blob)
    offsets = sorted(data.draw(st.sets(st.integers(0, len(lines) - 1)) if lines else st.just(set[int]())))
    assert lines_at(blob, offsets) == {offset: lines[offset] for offset in offsets}
