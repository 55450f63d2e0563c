"""Widgets of notebook 05: latency cases (collected by benchmarks/widget_latency.py) and the live trainer's
frame rate, with the trainer's flat optimisers against PyTorch's in the same run.

    .venv/bin/python benchmarks/widgets_ch05.py [--frames 15] [--steps-per-frame 20]

Two different things are timed, kernel side:

* **updates** (``cases()``, budget 16.7 ms median): a knob that only redraws, e.g. the trainer's lr G slider
  (new learning rates, the picture of the current state redrawn: field, samples, arrows, PNG), and the
  step G button (one generator update + that redraw);
* **training frames** (target >= 10 frames/s at 20 generator steps per frame, issue 13): what each tick of
  play runs, ``steps_per_frame`` rounds of ``GAN.train_step`` + the picture (coverage of 2,500 samples, the
  field, the arrows, PNG). A frame's cost is its number of network updates, (n_critic + 1) per generator
  step: 2 for the cross-entropy and least-squares GANs, 3 for WGAN-GP (2 critic steps, each with a second
  backward pass for the penalty), 6 for weight clipping (the paper's 5 critic steps, on its batches of 64).

For every loss the frame is timed twice, interleaved (the machine's drift hits both): with the trainer's
optimisers (course_lib.gans.flat_optim: PyTorch's update rule over one flat vector) and with PyTorch's own
(``GAN.configure_optimizers``: Adam ``fused=True``, RMSprop ``foreach=True``; PyTorch has no fused RMSprop).
The table prints both rates, the ratio of their training times, and the generator steps per frame that keep
10 frames/s. CPU time of this process (``time.process_time``, one torch thread) is the measure: on a shared
machine the wall time also counts waiting for a core (printed beside it). The last line times the stable
non-saturating GAN covering the ring (8/8 modes) live, against 15 s.
"""
from __future__ import annotations

import argparse
import statistics
import time


def cases():
    import torch

    from course_lib import gans
    from course_lib.gans.recordings import recorded_label
    from course_lib.widgets.gan_trainer import GANTrainerView
    from course_lib.widgets.mode_collapse import ModeCollapseView

    recorded = gans.load_recordings()
    out = []
    for dname in ("ring", "grid"):
        fn, centers, std = gans.toy_mixture(dname)
        runs = {recorded_label(k): v for k, v in recorded[dname].items()}
        view = ModeCollapseView(runs, fn(1000, generator=torch.Generator().manual_seed(2)), centers, std)
        view.lf.image  # noqa: B018  (as in the notebook: the image widget exists)
        labels = list(runs)
        values = [{"loss": labels[(i // 10) % len(labels)], "frame": i % (view.max_frame + 1)} for i in range(40)]
        out.append((f"ModeCollapseView ({dname}): step slider / loss dropdown", view.update, values))
    trainer = GANTrainerView("ring", "non-saturating + R1 + EMA (stable)")
    trainer.lf.image  # noqa: B018
    for _ in range(10):  # a trained state: samples spread over the ring, 48 arrows
        trainer.play_frame()
    lrs = [{"lr_g": 10 ** (-3.5 + 0.1 * (i % 15))} for i in range(30)]
    out.append(("GANTrainerView: lr G slider (redraw, no training)", trainer.update, lrs))
    out.append(("GANTrainerView: step G button (1 G step + redraw)", lambda: trainer.step_g(), [{}] * 20))
    return out


def _frame_times(view, n_frames: int):
    """CPU and wall seconds of the training part and the picture part of ``n_frames`` frames (after 2)."""
    cpu_t, cpu_p, wall = [], [], []
    for i in range(n_frames + 2):
        c0, t0 = time.process_time(), time.perf_counter()
        view.state.train(view.steps_per_frame)
        c1 = time.process_time()
        view.show_frame(view.framer(view.state))
        c2, t2 = time.process_time(), time.perf_counter()
        if i >= 2:
            cpu_t.append(c1 - c0)
            cpu_p.append(c2 - c1)
            wall.append(t2 - t0)
    return statistics.median(cpu_t), statistics.median(cpu_p), statistics.median(wall)


def frame_rates(n_frames: int, steps_per_frame: int) -> dict:
    import torch

    from course_lib.gans.live_training import LIVE_LOSSES
    from course_lib.widgets.gan_trainer import GANTrainerView

    torch.set_num_threads(1)
    print(f"live trainer, ring, {steps_per_frame} G steps per frame, median of {n_frames} frames, CPU ms "
          "(kernel side, one thread); flat = course_lib.gans.flat_optim, torch = PyTorch's optimisers")
    print(f"{'loss':36s} {'updates':>7s} {'train flat':>10s} {'train torch':>11s} {'torch/flat':>10s} "
          f"{'picture':>7s} {'fps flat':>8s} {'fps torch':>9s} {'wall fps flat':>13s}  "
          f"{'G steps/frame at 10 fps flat, torch':>35s}")
    rows = {}
    for label in LIVE_LOSSES:
        med = {"flat": [], "torch": []}
        pic, wall = [], []
        for kind in ("flat", "torch", "flat", "torch"):  # interleaved, twice
            view = GANTrainerView("ring", label, steps_per_frame=steps_per_frame)
            view.lf.image  # noqa: B018
            if kind == "torch":
                s = view.state
                s.optimizers = s.model.configure_optimizers(s.model.default_lr)
                s.set_learning_rates(s.lr_g, s.lr_d)
            t, p, w = _frame_times(view, n_frames)
            med[kind].append(t)
            pic.append(p)
            if kind == "flat":
                wall.append(w)
        k = view.state.model.n_critic
        t_flat, t_torch, p = min(med["flat"]), min(med["torch"]), statistics.median(pic)
        fps = {"flat": 1 / (t_flat + p), "torch": 1 / (t_torch + p)}
        # the picture costs the same at any number of steps: what is left of 100 ms buys generator steps
        at10 = [max(0, int((0.1 - p) / (t / steps_per_frame))) for t in (t_flat, t_torch)]
        rows[label] = {"fps": fps, "ratio": t_torch / t_flat, "picture_ms": 1e3 * p}
        print(f"{label:36s} {(k + 1) * steps_per_frame:7d} {1e3 * t_flat:10.1f} {1e3 * t_torch:11.1f} "
              f"{t_torch / t_flat:10.2f} {1e3 * p:7.1f} {fps['flat']:8.1f} {fps['torch']:9.1f} "
              f"{1 / min(wall):13.1f}  {at10[0]:>29d}, {at10[1]:3d}", flush=True)
    for kind in ("flat", "torch"):
        slow = [label for label, r in rows.items() if r["fps"][kind] < 10]
        print(f"{kind:5s}: every loss >= 10 frames/s (CPU) at {steps_per_frame} G steps per frame: "
              f"{'yes' if not slow else 'no, ' + ', '.join(slow)}")
    return rows


def time_to_ring(steps_per_frame: int) -> None:
    from course_lib.widgets.gan_trainer import GANTrainerView

    view = GANTrainerView("ring", "non-saturating + R1 + EMA (stable)", steps_per_frame=steps_per_frame)
    view.lf.image  # noqa: B018
    c0, t0 = time.process_time(), time.perf_counter()
    out = view.show_frame(view.framer(view.state))
    while out["modes"] < 8 and out["g_steps"] < 3000:
        out = view.play_frame()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"stable non-saturating GAN, ring, played live: {out['modes']}/8 modes after {out['g_steps']} G steps, "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU ({'ok' if cpu <= 15 and out['modes'] == 8 else 'over'} against 15 s)")


def update_latency() -> None:
    import torch

    from course_lib.widgets import latencies_ms

    torch.set_num_threads(1)
    for name, update, values in cases()[2:]:
        c0 = time.process_time()
        ms = sorted(latencies_ms(update, values))
        cpu = 1e3 * (time.process_time() - c0) / (len(values) + 3)
        med = statistics.median(ms)
        print(f"{name}: median {med:.1f} ms wall, {cpu:.1f} ms CPU per call "
              f"({'ok' if min(med, cpu) <= 16.7 else 'over'} against 16.7 ms)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--frames", type=int, default=15)
    ap.add_argument("--steps-per-frame", type=int, default=20)
    a = ap.parse_args()
    update_latency()
    frame_rates(a.frames, a.steps_per_frame)
    time_to_ring(a.steps_per_frame)
