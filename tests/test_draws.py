"""The model's shuffle is the standard library's, draw for draw."""

import random

import pytest

from sim import draws


@pytest.mark.parametrize("seed", [0, 1, 7, 2024])
def test_shuffle_is_random_shuffle_draw_for_draw(seed):
    ours, theirs = random.Random(seed), random.Random(seed)
    for n in (0, 1, 2, 3, 4, 5, 17, 64, 65, 255, 256, 257, 1000, 4097):
        mine, reference = list(range(n)), list(range(n))
        draws.shuffle(ours, mine)
        theirs.shuffle(reference)
        assert mine == reference
        assert ours.getstate() == theirs.getstate()  # the same draws were taken


def test_shuffle_moves_the_objects_it_is_given():
    items = [object() for _ in range(50)]
    shuffled = list(items)
    draws.shuffle(random.Random(3), shuffled)
    assert shuffled != items and sorted(map(id, shuffled)) == sorted(map(id, items))
