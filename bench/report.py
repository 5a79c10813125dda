"""One line per figure: ours, the baseline, their ratio, the goal, and whether it was met."""

from __future__ import annotations


def figure(name: str, ours_s: float, baseline_s: float, goal_ratio: float) -> bool:
    ratio = ours_s / baseline_s if baseline_s else float("inf")
    met = ratio <= goal_ratio
    print(
        f"{name}: {ours_s * 1000:.1f} ms vs baseline {baseline_s * 1000:.1f} ms = "
        f"{ratio:.2f}x (goal <= {goal_ratio}x) {'PASS' if met else 'MISS'}",
        flush=True,
    )
    return met
