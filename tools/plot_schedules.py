"""Draw lamella.optim's schedules into docs/img/schedules.png (run after changing a schedule)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lamella.optim.schedule import SchedCos, SchedExp, SchedLin, SchedNo, SchedPoly, one_cycle_scheds  # noqa: E402

pos = [i / 200 for i in range(201)]
fig, axs = plt.subplots(1, 3, figsize=(12, 3.2))
for name, s in [
    ("SchedLin", SchedLin(0, 1)),
    ("SchedCos", SchedCos(0, 1)),
    ("SchedNo", SchedNo(0.5, 1)),
    ("SchedExp", SchedExp(0.01, 1)),
    ("SchedPoly(power=2)", SchedPoly(0, 1, 2)),
]:
    axs[0].plot(pos, [s(p) for p in pos], label=name)
axs[0].set_title("from 0 to 1")
axs[0].legend(fontsize=8)
cycle = one_cycle_scheds(1e-2)
axs[1].plot(pos, [cycle["lr"](p) for p in pos])
axs[1].set_title("one cycle: lr (lr_max=1e-2)")
axs[2].plot(pos, [cycle["mom"](p) for p in pos])
axs[2].set_title("one cycle: mom")
for ax in axs:
    ax.set_xlabel("position in training")
out = Path(__file__).resolve().parent.parent / "docs" / "img" / "schedules.png"
fig.tight_layout()
fig.savefig(out, dpi=80)
print(f"wrote {out}")
