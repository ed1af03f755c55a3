#!/usr/bin/python3
"""PyTorch companion of tools/bench/rnn.ts: the same training step and inference for the same config.

  /usr/bin/python3 tools/bench/rnn_pytorch.py --cell lstm --batch 32 --time 100 --input 32 --hidden 128 --threads 1 --json

A training step: forward (batch_first) + Linear(hidden, 1) + sigmoid on the last layer's final hidden
state + binary cross-entropy + backward + RMSprop update (alpha 0.9, eps 1e-7, lr 0.001), ending with
loss.item() (which also synchronises CUDA). Inference: forward + Linear + sigmoid under no_grad, ending
with a copy to the host. Medians over --runs after --warmup. Uses CUDA (cuDNN) when present unless
--device cpu. Prints one JSON line with the same fields as rnn.ts (baseline fields are null), plus
torch_blas: the BLAS library torch runs on (torch_blas.py). On CPU it refuses to run (exit 3) on
Debian's reference BLAS, ~10x slower than OpenBLAS. --threads N sets torch's threads and OpenBLAS's
own pool (torch.set_num_threads leaves OpenBLAS on every core).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_blas import blas_threads, loaded_blas, require_fast_blas, set_blas_threads  # noqa: E402


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm")
    for name, default in (("batch", 32), ("time", 100), ("input", 32), ("hidden", 128), ("layers", 1), ("warmup", 2), ("runs", 5)):
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads on CPU (0: leave torch's default)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    for name in ("batch", "time", "input", "hidden", "layers", "runs"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be >= 1")
    if args.warmup < 0:
        p.error("--warmup must be >= 0")
    return args


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    a = parse()
    load_at_start = [round(v, 2) for v in os.getloadavg()]
    device = "cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("rnn_pytorch: --device cuda but CUDA is not available")
    if device == "cpu" and a.threads > 0:
        torch.set_num_threads(a.threads)
    # The reference BLAS only matters where torch's CPU GEMMs run; a CUDA run records it all the same.
    blas = require_fast_blas(torch, "rnn_pytorch") if device == "cpu" else loaded_blas(torch)
    if device == "cpu" and a.threads > 0:
        set_blas_threads(a.threads)
        blas["threads"] = blas_threads()
    torch.manual_seed(0)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[a.cell]
    rnn = cls(a.input, a.hidden, num_layers=a.layers, batch_first=True).to(device)
    head = torch.nn.Linear(a.hidden, 1).to(device)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.RMSprop(params, lr=0.001, alpha=0.9, eps=1e-7)
    x = torch.randn(a.batch, a.time, a.input, device=device)
    y = (torch.rand(a.batch, 1, device=device) > 0.5).float()
    bce = torch.nn.BCELoss()

    def last_hidden(out):
        h = out[1][0] if a.cell == "lstm" else out[1]
        return h[-1]

    def train():
        opt.zero_grad(set_to_none=True)
        loss = bce(torch.sigmoid(head(last_hidden(rnn(x)))), y)
        loss.backward()
        opt.step()
        loss.item()

    def infer():
        with torch.no_grad():
            torch.sigmoid(head(last_hidden(rnn(x)))).cpu()

    train_runs = timed(train, a.warmup, a.runs)
    infer_runs = timed(infer, a.warmup, a.runs)
    r2 = lambda v: round(v, 2)
    result = {
        "bench": "rnn", "framework": "pytorch", "backend": f"pytorch-{device}", "cell": a.cell, "batch": a.batch,
        "time": a.time, "input": a.input, "hidden": a.hidden, "layers": a.layers, "warmup": a.warmup, "runs": a.runs,
        "train_ms_per_batch": r2(statistics.median(train_runs)), "infer_ms_per_batch": r2(statistics.median(infer_runs)),
        "baseline_train_ms_per_batch": None, "baseline_infer_ms_per_batch": None,
        "train_runs_ms": [r2(v) for v in train_runs], "infer_runs_ms": [r2(v) for v in infer_runs],
        "torch_blas": blas["path"], "torch_blas_kind": blas["kind"],
        "machine": {
            "torch": torch.__version__, "device": torch.cuda.get_device_name(0) if device == "cuda" else platform.processor() or platform.machine(),
            "cudnn": torch.backends.cudnn.version() if device == "cuda" else None,
            "threads": torch.get_num_threads(), "blas_threads": blas["threads"], "cpus": os.cpu_count(), "loadavg_at_start": load_at_start, "loadavg_at_end": [r2(v) for v in os.getloadavg()],
            "python": platform.python_version(),
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
