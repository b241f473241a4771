#!/usr/bin/python3
"""PyTorch peer of `clpipe bench learner`: the same MLP step, timed the same way, reported as JSON.

One-shot:  torch_mlp.py --batch 128 --optimizer sgd --warmup 50 --steps 200   -> one JSON line
Serve:     torch_mlp.py --serve   -> a hello line, then one JSON result per JSON request on stdin
           request: {"batch": 128, "optimizer": "sgd", "warmup": 50, "steps": 200, "seed": 1}
                    {"sgemm": [1024, 1024, 1024], "reps": 20}

The step: MLP 784-256-256-10 (ReLU), softmax cross-entropy, batch of synthetic features uniform in
[0, 1) with uniform labels over 10 classes, drawn round-robin from a pool of 8 pre-built batches;
zero_grad(set_to_none) + forward + backward + optimizer.step() + loss.item(). Optimizers: sgd (lr
0.01), momentum (SGD lr 0.01, momentum 0.9), adamw (lr 1e-3, PyTorch defaults otherwise).
Threads: torch.set_num_threads(1) (two torch threads oversubscribe two cores and fall to ~9k
samples/s, docs/benchmarks.md, "Threads"); the BLAS threads come from OPENBLAS_NUM_THREADS in the environment.
"""
import argparse
import json
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the Java side reports this and still prints the ND4J figures
    print(json.dumps({"error": "torch not importable: %s" % e}), flush=True)
    sys.exit(3)

WIDTHS = (784, 256, 256, 10)
POOL = 8
ENV_KEYS = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def build_model():
    layers = []
    for i in range(len(WIDTHS) - 1):
        layers.append(nn.Linear(WIDTHS[i], WIDTHS[i + 1]))
        if i < len(WIDTHS) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def build_optimizer(name, params):
    if name == "sgd":
        return torch.optim.SGD(params, lr=0.01)
    if name == "momentum":
        return torch.optim.SGD(params, lr=0.01, momentum=0.9)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=1e-3)
    raise ValueError("unknown optimizer " + name)


def measure_step(batch, optimizer, warmup, steps, seed):
    torch.manual_seed(seed)
    model = build_model()
    opt = build_optimizer(optimizer, model.parameters())
    xs = torch.rand(POOL, batch, WIDTHS[0])
    ys = torch.randint(0, WIDTHS[-1], (POOL, batch))

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[i % POOL]), ys[i % POOL])
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    loss = 0.0
    for i in range(steps):
        loss = step(i)
    seconds = time.perf_counter() - start
    return {"batch": batch, "optimizer": optimizer, "warmup": warmup, "steps": steps,
            "seconds": seconds, "ms_per_step": 1e3 * seconds / steps,
            "samples_per_s": batch * steps / seconds, "last_loss": loss}


def measure_sgemm(m, n, k, reps):
    a = torch.rand(m, k)
    b = torch.rand(k, n)
    c = torch.empty(m, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    start = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b, out=c)
    seconds = time.perf_counter() - start
    return {"sgemm": [m, n, k], "gflops": 2.0 * m * n * k * reps / seconds / 1e9}


def blas_libraries():
    """The BLAS shared objects this process mapped (Debian's torch uses whatever libblas.so.3 points at)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
        return sorted(p for p in paths if p.startswith("/"))
    except OSError:
        return []


def hello():
    return {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "blas": blas_libraries(),
            "python": sys.version.split()[0],
            "env": {key: os.environ.get(key, "unset") for key in ENV_KEYS}}


def serve():
    print(json.dumps(hello()), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if "sgemm" in request:
                m, n, k = request["sgemm"]
                result = measure_sgemm(m, n, k, request.get("reps", 20))
            else:
                result = measure_step(request["batch"], request["optimizer"], request["warmup"],
                                      request["steps"], request.get("seed", 1))
        except Exception as e:  # report and keep serving
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(result), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--optimizer", choices=("sgd", "momentum", "adamw"), default="sgd")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve()
    else:
        result = measure_step(args.batch, args.optimizer, args.warmup, args.steps, args.seed)
        result.update(hello())
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
