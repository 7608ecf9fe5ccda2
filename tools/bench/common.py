"""Timing helpers shared by the benchmarks: fastest of several repeats, ratios, peers that may be absent."""

from __future__ import annotations

import importlib
import time
import timeit
from collections.abc import Callable
from typing import Any


def best_us(f: Callable[[], Any], number: int, repeat: int = 7) -> float:
    """Fastest of `repeat` runs of `number` calls, in microseconds per call."""
    f()
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number * 1e6


def best_s(f: Callable[[], Any], repeat: int = 3, warmup: bool = False) -> float:
    """Fastest of `repeat` runs of one long call (an epoch), in seconds; `warmup` runs it once first."""
    if warmup:
        f()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved_s(fs: dict[str, Callable[[], Any]], rounds: int, warmup: bool = True) -> dict[str, float]:
    """Fastest of `rounds` runs of each function in seconds, the functions run in turns.

    Turns let slow spells of this shared machine hit every contender alike; sequential repeats
    swing a ratio by more than the targets we check.
    """
    if warmup:
        for f in fs.values():
            f()
    times: dict[str, list[float]] = {name: [] for name in fs}
    for _ in range(rounds):
        for name, f in fs.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def peer(module: str) -> Any:
    """Import a peer library, or None (the row then says 'not installed')."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def report(
    title: str, base_name: str, base_us: float, rows: dict[str, float | None], unit: str = "us"
) -> None:
    print(f"\n{title}")
    print(f"  {base_name:<38}{base_us:>10.2f} {unit}   1.00x")
    for name, us in rows.items():
        if us is None:
            print(f"  {name:<38}{'not installed':>10}")
        else:
            print(f"  {name:<38}{us:>10.2f} {unit}   {us / base_us:.2f}x")
