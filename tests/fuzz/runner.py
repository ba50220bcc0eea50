"""What the fuzz tests share: a seed file's cases run against the oracle, the first finding failing the test with
what reproduces it (tests/fuzz/targets.py, tools/fuzz.py)."""

import tracemalloc
from collections import Counter

import pytest

from tests.fuzz.mutate import Case
from tests.fuzz.targets import TARGETS, Finding, World, seed_rng

# The suite's campaign: the rng seed of every fuzz test (tools/fuzz.py --rng-seed 1 draws the same cases).
RNG_SEED = 1
# What one case of a file under 1 MB may allocate (tracemalloc), far above what any reader needs (~10 MB).
MAX_CASE_BYTES = 100 * 1024 * 1024


def seed_params(target: str) -> list:
    """(rank, seed) of each seed file of `target`, named after the file, for pytest.mark.parametrize."""
    return [pytest.param(rank, seed, id=seed.name) for rank, seed in enumerate(TARGETS[target].seeds())]


def fuzz(target_name: str, rank: int, seed, *, count: int, world: World | None = None) -> Counter:
    """Runs the seed file itself, then `count` of its mutations; fails the test at the first finding."""
    target = TARGETS[target_name]
    rng_seed = seed_rng(RNG_SEED, rank)
    outcomes: Counter = Counter()
    try:
        target.check(seed, Case(seed.data, "seed"), rng_seed=rng_seed, world=world)
        for case in target.cases(seed, count=count, rng_seed=rng_seed):
            outcomes[target.check(seed, case, rng_seed=rng_seed, world=world)] += 1
    except Finding as finding:
        pytest.fail(str(finding), pytrace=False)
    assert sum(outcomes.values()) == count
    return outcomes


def peak_of_cases(target_name: str, *, count: int, world: World | None = None) -> tuple[int, str]:
    """The largest tracemalloc peak of the first `count` cases of the target's largest seed file, and that case."""
    target = TARGETS[target_name]
    seeds = target.seeds()
    rank, seed = max(enumerate(seeds), key=lambda item: len(item[1].data))
    rng_seed = seed_rng(RNG_SEED, rank)
    target.check(seed, Case(seed.data, "seed"), rng_seed=rng_seed, world=world)  # imports loaded, not measured
    peak = (0, "")
    for case in target.cases(seed, count=count, rng_seed=rng_seed):
        tracemalloc.start()
        try:
            target.check(seed, case, rng_seed=rng_seed, world=world)
        except Finding as finding:
            pytest.fail(str(finding), pytrace=False)
        finally:
            _current, case_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        peak = max(peak, (case_peak, f"{seed.name}, {case.mutation}"))
    return peak
