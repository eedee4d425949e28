"""The policy stories (``sim.stories``) hold over replications: p < 0.05."""

import pytest

from sim.stories import STORIES, tell


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name.replace(" ", "_"))
def test_policy_story(story):
    more, less, p = tell(story)
    assert p < 0.05, f"{story.name}: {story.what} {more} vs {less}, p={p:.3f}"
