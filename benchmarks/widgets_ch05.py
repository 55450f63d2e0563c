"""Widgets of notebook 05: latency cases (collected by benchmarks/widget_latency.py) and the live trainer's
frame rate.

    .venv/bin/python benchmarks/widgets_ch05.py [--frames 20] [--steps-per-frame 20]

The frame-rate part plays the live trainer (course_lib.widgets.gan_trainer) as the Play button does: each frame
is ``steps_per_frame`` generator steps (with their D steps) + the picture (field, arrows, coverage of 2,500
samples, PNG). Per loss it prints the median kernel-side time of a frame, split into training and drawing, and
frames per second. Targets (issue 13): >= 10 frames/s at >= 20 generator steps per frame for the 2-D models; the
stable non-saturating GAN covering the ring (8/8 modes) live within 15 s of wall time, which the last line times.

A frame's cost is its number of network updates: (n_critic + 1) per generator step. The cross-entropy and
least-squares GANs do 2 per generator step (1 D + 1 G), WGAN-GP 3 (n_critic = 2, and each critic update has a
second backward pass for the penalty) and WGAN with clipping 6 (n_critic = 5, the paper's) on the paper's batches
of 64 samples (the others use 128; course_lib.gans.live_training.LIVE_BATCH_SIZE). The trainer's optimisers are
course_lib.gans.flat_optim's (PyTorch's update rule over one flat vector: at 120 updates a frame, PyTorch's
RMSprop alone cost about a fifth of a weight-clipping frame). The table prints the updates per frame beside the
rate, and the last column the generator steps per frame that would keep the rate at 10 frames/s.
"""
from __future__ import annotations

import argparse
import statistics
import time


def cases():
    import torch

    from course_lib import gans
    from course_lib.gans import LOSS_LABELS
    from course_lib.widgets.gan_trainer import GANTrainerView
    from course_lib.widgets.mode_collapse import ModeCollapseView

    recorded = gans.load_recordings()
    out = []
    for dname in ("ring", "grid"):
        fn, centers, std = gans.toy_mixture(dname)
        runs = {LOSS_LABELS[k]: v for k, v in recorded[dname].items()}
        view = ModeCollapseView(runs, fn(1000, generator=torch.Generator().manual_seed(2)), centers, std)
        view.lf.image  # noqa: B018  (as in the notebook: the image widget exists)
        labels = list(runs)
        values = [{"loss": labels[(i // 10) % len(labels)], "frame": i % (view.max_frame + 1)} for i in range(40)]
        out.append((f"ModeCollapseView ({dname}): step slider / loss dropdown", view.update, values))
    trainer = GANTrainerView("ring", "non-saturating + R1 + EMA (stable)")
    trainer.lf.image  # noqa: B018
    # "step G" is the trainer's cheapest knob that redraws: one generator update + the whole picture
    out.append(("GANTrainerView: step G button (1 G step + redraw)", lambda: trainer.step_g(), [{}] * 20))
    return out


def frame_rates(n_frames: int, steps_per_frame: int) -> None:
    import torch

    from course_lib.gans.live_training import LIVE_LOSSES, train_frame
    from course_lib.widgets.gan_trainer import GANTrainerView

    torch.set_num_threads(1)
    print(f"live trainer, ring, {steps_per_frame} G steps per frame, median of {n_frames} frames (kernel side)")
    # Wall time is what a student sees; on a shared machine it is inflated by other processes, so the CPU time
    # of this process (time.process_time, one torch thread) is printed beside it: about the wall time on an idle core.
    print(f"{'loss':38s} {'updates':>7s} {'frame ms':>9s} {'train ms':>9s} {'draw ms':>8s} {'frames/s':>9s} "
          f"{'CPU ms':>7s} {'frames/s (CPU)':>15s}  target >= 10  {'G steps/frame at 10 fps (CPU)':>30s}")
    for label in LIVE_LOSSES:
        view = GANTrainerView("ring", label, steps_per_frame=steps_per_frame)
        k = view.state.model.n_critic
        view.lf.image  # noqa: B018
        tr, dr, cpu, cpu_draw = [], [], [], []
        for _ in range(n_frames + 2):
            c0, t0 = time.process_time(), time.perf_counter()
            f = train_frame(view.state, steps_per_frame)
            t1, c1 = time.perf_counter(), time.process_time()
            view.show_frame(f)
            t2, c2 = time.perf_counter(), time.process_time()
            tr.append(t1 - t0)
            dr.append(t2 - t1)
            cpu.append(c2 - c0)
            cpu_draw.append(c2 - c1)
        tr, dr, cpu, cpu_draw = tr[2:], dr[2:], statistics.median(cpu[2:]), statistics.median(cpu_draw[2:])
        tot = statistics.median([a + b for a, b in zip(tr, dr)])
        # the drawing costs the same at any number of steps: what is left of 100 ms buys generator steps
        per_step = max(cpu - cpu_draw, 1e-9) / steps_per_frame
        at10 = max(0, int((0.1 - cpu_draw) / per_step))
        print(f"{label:38s} {(k + 1) * steps_per_frame:7d} {1e3 * tot:9.1f} {1e3 * statistics.median(tr):9.1f} "
              f"{1e3 * statistics.median(dr):8.1f} {1 / tot:9.1f} {1e3 * cpu:7.1f} {1 / cpu:15.1f}  "
              f"{'ok' if 1 / cpu >= 10 else 'below'} (CPU)  {at10:30d}", flush=True)

    # the flat optimisers against PyTorch's, side by side: the training part of a frame, same model and seed
    from course_lib.gans.live_training import LiveGAN

    print(f"training time of a frame ({steps_per_frame} G steps), CPU ms, median of {n_frames}: "
          "PyTorch's optimisers / course_lib.gans.flat_optim's")
    for label in ("WGAN (weight clipping)", "WGAN-GP", "non-saturating"):
        med = {}
        for kind in ("torch", "flat", "torch", "flat"):   # interleaved, twice: the machine's drift hits both
            s = LiveGAN("ring", label)
            if kind == "torch":
                s.optimizers = s.model.configure_optimizers(s.model.default_lr)
                s.set_learning_rates(s.lr_g, s.lr_d)
            s.train(2)
            ts = []
            for _ in range(n_frames):
                c0 = time.process_time()
                s.train(steps_per_frame)
                ts.append(time.process_time() - c0)
            med.setdefault(kind, []).append(statistics.median(ts))
        t_torch, t_flat = min(med["torch"]), min(med["flat"])
        print(f"   {label:38s} {1e3 * t_torch:7.1f} / {1e3 * t_flat:7.1f}   ratio {t_torch / t_flat:.2f}")

    view = GANTrainerView("ring", "non-saturating + R1 + EMA (stable)", steps_per_frame=steps_per_frame)
    view.lf.image  # noqa: B018
    c0, t0 = time.process_time(), time.perf_counter()
    out = view.show_frame(view.state.frame())
    while out["modes"] < 8 and out["g_steps"] < 3000:
        out = view.play_frame()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"stable non-saturating GAN, ring, played live: {out['modes']}/8 modes after {out['g_steps']} G steps, "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU ({'ok' if cpu <= 15 and out['modes'] == 8 else 'over'} against 15 s)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--frames", type=int, default=20)
    ap.add_argument("--steps-per-frame", type=int, default=20)
    a = ap.parse_args()
    frame_rates(a.frames, a.steps_per_frame)
