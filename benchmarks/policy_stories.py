"""Print each policy story of ``sim.stories``: both sides' means and the p-value.

python benchmarks/policy_stories.py
"""

from statistics import mean

from sim.stories import DOSE_STORIES, SCALE, STORIES, tell, tell_dose


def main() -> None:
    print(f"scale {SCALE}; one-sided Mann-Whitney U; the tests require p < 0.05")
    for story in STORIES:
        more, less, p = tell(story)
        print(
            f"- {story.name}: {story.what}: {mean(more):,.2f} vs {mean(less):,.2f} "
            f"({len(more)} seeds a side), p = {p:.4f}"
        )
    for story in DOSE_STORIES:
        by_level, p = tell_dose(story)
        means = ", ".join(f"{mean(v):,.2f}" for v in by_level)
        print(
            f"- {story.name}: {story.what} by dose: {means} "
            f"({len(by_level[0])} seeds a level), Spearman p = {p:.4f}"
        )


if __name__ == "__main__":
    main()
