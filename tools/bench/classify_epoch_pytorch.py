#!/usr/bin/python3
"""PyTorch companion of tools/bench/classify-epoch.ts: one training epoch of the Keras seed classifier.

  /usr/bin/python3 tools/bench/classify_epoch_pytorch.py --threads 0 --json

The model is the Keras example's, written as a PyTorch user would: Embedding(10000, 32) -> RNN(32, tanh,
batch_first) -> Linear(32, 1) -> sigmoid on the last step's hidden state, BCELoss, RMSprop(lr 0.001,
alpha 0.9, eps 1e-7). An epoch is --samples random sequences of --length ids below --vocab, shuffled,
in batches of --batch (a DataLoader-free loop over a pre-built tensor: the fastest a user gets).
--warmup untimed batches first, then --epochs timed epochs; the median is reported. Refuses Debian's
reference BLAS (torch_blas.py). --threads N sets torch's and OpenBLAS's threads (0: torch's default).
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
from torch_blas import blas_threads, require_fast_blas, set_blas_threads  # noqa: E402


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, default in (("samples", 25000), ("length", 500), ("vocab", 10000), ("embedding", 32), ("hidden", 32), ("batch", 128), ("warmup", 5), ("epochs", 1), ("threads", 0)):
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    for name in ("samples", "length", "vocab", "embedding", "hidden", "batch", "epochs"):
        if getattr(a, name) < 1:
            p.error(f"--{name} must be >= 1")
    if a.warmup < 0 or a.threads < 0:
        p.error("--warmup and --threads must be >= 0")
    return a


class SeedClassifier(torch.nn.Module):
    def __init__(self, vocab, embedding, hidden):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, embedding)
        self.rnn = torch.nn.RNN(embedding, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, 1)

    def forward(self, ids):
        _, h = self.rnn(self.embedding(ids))
        return torch.sigmoid(self.head(h[-1]))


def main():
    a = parse()
    load_at_start = [round(v, 2) for v in os.getloadavg()]
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    blas = require_fast_blas(torch, "classify_epoch_pytorch")
    if a.threads > 0:
        set_blas_threads(a.threads)
        blas["threads"] = blas_threads()
    torch.manual_seed(0)
    x = torch.randint(1, a.vocab, (a.samples, a.length))
    y = (torch.rand(a.samples, 1) > 0.5).float()
    model = SeedClassifier(a.vocab, a.embedding, a.hidden)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    bce = torch.nn.BCELoss()

    def step(idx):
        opt.zero_grad(set_to_none=True)
        loss = bce(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(a.warmup):
        step(torch.arange(i * a.batch, (i + 1) * a.batch) % a.samples)
    epochs = []
    for _ in range(a.epochs):
        order = torch.randperm(a.samples)
        t0 = time.perf_counter()
        for start in range(0, a.samples, a.batch):
            step(order[start:start + a.batch])
        epochs.append(time.perf_counter() - t0)
    r2 = lambda v: round(v, 2)
    print(json.dumps({
        "bench": "classify-epoch", "library": "pytorch", "backend": "pytorch-cpu", "samples": a.samples, "length": a.length, "vocab": a.vocab,
        "batch": a.batch, "epoch_seconds": r2(statistics.median(epochs)), "epoch_runs_seconds": [r2(v) for v in epochs], "measured": "full epoch",
        "threads": torch.get_num_threads(), "blas": blas["kind"], "blas_path": blas["path"], "blas_threads": blas["threads"],
        "torch": torch.__version__, "cpus": os.cpu_count(), "loadavg_at_start": load_at_start, "loadavg_at_end": [r2(v) for v in os.getloadavg()],
        "python": platform.python_version(),
    }))


if __name__ == "__main__":
    main()
