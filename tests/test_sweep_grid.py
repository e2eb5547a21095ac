"""Grid parsing and chunk layout of ``openlz.sweep.grid``.

Expected values are closed forms: numpy's linspace/geomspace for the axes, and the
counting identity that the blocks tile the grid exactly once.
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.errors import ParameterError
from openlz.sweep.grid import (
    as_axes,
    block_shape,
    chunk_indices,
    chunk_slices,
    default_chunk,
    parse_grid,
)


def test_parse_linear_and_log():
    a = parse_grid("A=0:1:11")
    assert a.name == "A"
    np.testing.assert_array_equal(a.array(), np.linspace(0, 1, 11))
    b = parse_grid("Delta=0.1:10:5:log")
    np.testing.assert_allclose(b.array(), [0.1, 10**-0.5, 1.0, 10**0.5, 10.0], rtol=1e-14)
    c = parse_grid("x=1,2.5,pi")
    np.testing.assert_allclose(c.array(), [1, 2.5, np.pi])
    assert parse_grid("y=3:3:1").values == (3.0,)


@pytest.mark.parametrize("text, words", [
    ("A=1:0:10", "STOP"), ("A=0:1:0", "NUM"), ("A=0:1:2.5", "integer"),
    ("A=0:x:3", "not a valid"), ("A=0:1", "START:STOP:NUM"), ("A=0:1:3:cubic", "log"),
    ("A=0:1:3:log", "START > 0"), ("A", "NAME="), ("=0:1:3", "NAME"), ("A=1,1", "distinct"),
    ("A=0:inf:3", "finite"),
])
def test_bad_grids(text, words):
    with pytest.raises(ParameterError, match=words):
        parse_grid(text)


def test_duplicate_axis():
    with pytest.raises(ParameterError, match="twice"):
        as_axes(["a=0:1:2", "a=0:1:3"])


def test_block_shape_takes_trailing_axes_first():
    assert block_shape((100, 100), 256) == (2, 100)
    assert block_shape((100, 100), 1000) == (10, 100)
    assert block_shape((7, 5), 4) == (1, 4)
    assert block_shape((3, 4, 5), 1) == (1, 1, 1)
    assert block_shape((3,), 10) == (3,)
    with pytest.raises(ParameterError):
        block_shape((3,), 0)


@pytest.mark.parametrize("shape, chunk", [((7, 5), 4), ((3, 4, 5), 7), ((10,), 3), ((2, 3), 100)])
def test_chunks_tile_the_grid_once(shape, chunk):
    block = block_shape(shape, chunk)
    slices = chunk_slices(shape, block)
    count = np.zeros(shape, int)
    flat = []
    for sl in slices:
        count[sl] += 1
        idx = chunk_indices(shape, sl)
        assert idx.size <= chunk
        # flat indices are the C-order positions of the block's points
        np.testing.assert_array_equal(idx, np.arange(np.prod(shape)).reshape(shape)[sl].ravel())
        flat.extend(idx)
    assert np.all(count == 1)
    assert sorted(flat) == list(range(int(np.prod(shape))))
    assert len(slices) == int(np.prod([-(-n // b) for n, b in zip(shape, block, strict=True)]))


def test_default_chunk_depends_only_on_size():
    assert default_chunk(1) == 1
    assert default_chunk(80) == 10
    assert default_chunk(10**6) == 256
