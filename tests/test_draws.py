"""The model's shuffle is the standard library's, draw for draw."""

import itertools
import random

import numpy as np
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


@pytest.mark.parametrize("seed", [0, 5, 99])
def test_choices_at_picks_what_random_choices_picks(seed):
    ours, theirs, weigh = random.Random(seed), random.Random(seed), random.Random(-seed)
    for n in (1, 2, 3, 10, 257):
        weights = [weigh.random() + 0.01 for _ in range(n)]
        cum = list(itertools.accumulate(weights))
        for k in (1, 3, 8):
            positions = draws.choices_at(ours, cum, k)
            picked = theirs.choices(list(range(n)), cum_weights=cum, k=k)
            assert positions == picked
            assert ours.getstate() == theirs.getstate()


def test_choices_at_refuses_weights_that_sum_to_nothing():
    with pytest.raises(ValueError, match="positive and finite"):
        draws.choices_at(random.Random(1), [0.0, 0.0], 2)


@pytest.mark.parametrize("seed", [0, 3, 41])
def test_sample_is_random_sample_draw_for_draw(seed):
    ours, theirs = random.Random(seed), random.Random(seed)
    for n, k in ((1, 1), (2, 2), (5, 3), (21, 4), (22, 4), (30, 6), (200, 6), (1000, 40), (9, 0)):
        population = [object() for _ in range(n)]
        assert draws.sample(ours, population, k) == theirs.sample(population, k)
        assert ours.getstate() == theirs.getstate()


@pytest.mark.parametrize("seed", [0, 8, 123])
def test_chooser_draws_what_generator_choice_draws(seed):
    ours, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
    choose = draws.chooser((0.6, 0.2, 0.2))
    for i in range(500):
        assert choose(ours) == int(theirs.choice(3, p=(0.6, 0.2, 0.2)))
        if i % 50 == 0:
            assert ours.normal() == theirs.normal()  # the streams stay together


@pytest.mark.parametrize("k", [-1, 4])
def test_sample_refuses_what_random_sample_refuses(k):
    with pytest.raises(ValueError):
        random.Random(1).sample([1, 2, 3], k)
    with pytest.raises(ValueError, match="cannot sample"):
        draws.sample(random.Random(1), [1, 2, 3], k)
