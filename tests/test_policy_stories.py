"""The policy stories (``sim.stories``) hold over replications: p < 0.05."""

import pytest

from sim.stories import DOSE_STORIES, STORIES, tell, tell_dose


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name.replace(" ", "_"))
def test_policy_story(story):
    more, less, p = tell(story)
    assert p < 0.05, f"{story.name}: {story.what} {more} vs {less}, p={p:.3f}"


@pytest.mark.parametrize("story", DOSE_STORIES, ids=lambda s: s.name.replace(" ", "_"))
def test_dose_story(story):
    by_level, p = tell_dose(story)
    means = [round(sum(v) / len(v), 2) for v in by_level]
    assert p < 0.05, f"{story.name}: {story.what} by level {means}, p={p:.3f}"
