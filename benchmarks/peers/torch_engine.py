#!/usr/bin/env python3
"""PyTorch peer of benchmarks/Engine.Benchmarks: the same rows, the same timing discipline, one JSON line per row.

Usage: /usr/bin/python3 benchmarks/peers/torch_engine.py [--rows a,b,...] [--list] [--threads 2]
Each row prints {"row", "value", "unit", "higher_is_better"}; benchmarks/engine.sh joins them with ours.
"""
import argparse
import json
import sys
import time

import torch


def seconds_per_call(fn, warmup_seconds=0.3, batch_seconds=0.05, batches=15):
    """Warm up, size a batch to ~batch_seconds, return the best per-call time over `batches` batches (as Timing.cs:
    the machines are shared, and the least-disturbed batch is what both sides are judged on)."""
    start = time.perf_counter()
    calls = 0
    while True:
        fn()
        calls += 1
        if time.perf_counter() - start >= warmup_seconds:
            break
    per_call = (time.perf_counter() - start) / calls
    batch = max(1, int(batch_seconds / per_call))
    best = float("inf")
    for _ in range(batches):
        t = time.perf_counter()
        for _ in range(batch):
            fn()
        best = min(best, (time.perf_counter() - t) / batch)
    return best


def with_threads(threads, fn):
    saved = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return fn()
    finally:
        torch.set_num_threads(saved)


def matmul_gflops(n, threads):
    """GFLOP/s of an n x n float32 matmul, 2n^3 flops each."""
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, generator=g) - 0.5
    b = torch.rand(n, n, generator=g) - 0.5
    c = torch.empty(n, n)
    s = with_threads(threads, lambda: seconds_per_call(lambda: torch.matmul(a, b, out=c)))
    return 2.0 * n ** 3 / s / 1e9


def elementwise_gbps(n, op, bytes_per_element):
    """GB/s of one elementwise call on n float32 elements (bytes read plus written); `a + b` allocates its result, as a
    user's code does, so allocation is part of the figure on both sides."""
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, generator=g)
    b = torch.rand(n, generator=g)
    s = seconds_per_call(lambda: op(a, b))
    return bytes_per_element * n / s / 1e9


def out_gbps(n, bytes_per_element):
    """GB/s of torch.add(a, b, out=c) into one reused result tensor (bytes read plus written)."""
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, generator=g)
    b = torch.rand(n, generator=g)
    c = torch.zeros(n)
    s = seconds_per_call(lambda: torch.add(a, b, out=c))
    return bytes_per_element * n / s / 1e9


def overhead_ns(n, op):
    """ns per call of `op` on n-element tensors: the fixed per-op cost that dominates small RL tensors."""
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, generator=g)
    b = torch.rand(n, generator=g)
    reps = 1000

    def run():
        for _ in range(reps):
            op(a, b)
    return seconds_per_call(run) / reps * 1e9


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def mlp_fwd_bwd_us(threads):
    """µs per forward+backward of a 4-64-64-2 tanh MLP at batch 64 with an MSE loss."""
    torch.manual_seed(0)
    net = mlp([4, 64, 64, 2])
    x = torch.randn(64, 4)
    y = torch.randn(64, 2)

    def step():
        net.zero_grad(set_to_none=True)
        torch.nn.functional.mse_loss(net(x), y).backward()
    return with_threads(threads, lambda: seconds_per_call(step) * 1e6)


def mlp_adam_us(threads):
    """µs per training step (zero_grad, forward, MSE, backward, Adam step) of the same MLP at batch 64."""
    torch.manual_seed(0)
    net = mlp([4, 64, 64, 2])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(64, 4)
    y = torch.randn(64, 2)

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    return with_threads(threads, lambda: seconds_per_call(step) * 1e6)


def dqn_conv_adam_ms():
    """ms per Nature-DQN training step on 4x84x84 frames at batch 32: conv 8x8/4 32, 4x4/2 64, 3x3/1 64, fc 512, 6 actions."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(4, 32, 8, stride=4), torch.nn.ReLU(),
        torch.nn.Conv2d(32, 64, 4, stride=2), torch.nn.ReLU(),
        torch.nn.Conv2d(64, 64, 3, stride=1), torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(64 * 7 * 7, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 6))
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    x = torch.rand(32, 4, 84, 84)
    y = torch.randn(32, 6)

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    return seconds_per_call(step, warmup_seconds=1.0, batch_seconds=0.2, batches=7) * 1e3


def chain8(x):
    """The lazy benchmark's chain, eager in PyTorch: x*1.5 + 0.25, tanh, *x, - 0.5, square, + 1, sqrt (8 kernels)."""
    return torch.sqrt(torch.square(torch.tanh(x * 1.5 + 0.25) * x - 0.5) + 1.0)


def chain8_ms(n):
    """ms per run of the 8-op chain on n float32 elements (PyTorch's caching allocator reuses the intermediates)."""
    x = torch.rand(n, generator=torch.Generator().manual_seed(1)) - 0.5
    return seconds_per_call(lambda: chain8(x), warmup_seconds=0.5, batch_seconds=0.1, batches=7) * 1e3


def adam_ms():
    """ms per Adam step over a 1000x1000 + 1000 Linear (1,001,000 parameters) whose gradients are set."""
    torch.manual_seed(2)
    model = torch.nn.Linear(1000, 1000)
    model(torch.randn(8, 1000)).square().mean().backward()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    return seconds_per_call(opt.step, warmup_seconds=0.5, batch_seconds=0.1, batches=7) * 1e3


def all_rows(threads):
    """(name, unit, higher_is_better, measure) for every row; names match Engine.Benchmarks."""
    rows = []
    for n in (64, 128, 256, 512, 1024, 2048):
        rows.append((f"matmul_f32_{n}", "GFLOP/s", True, lambda n=n: matmul_gflops(n, threads)))
        rows.append((f"matmul_f32_{n}_1t", "GFLOP/s", True, lambda n=n: matmul_gflops(n, 1)))
    for label, n in (("1K", 1 << 10), ("1M", 1 << 20), ("16M", 1 << 24)):
        rows.append((f"add_f32_{label}", "GB/s", True, lambda n=n: elementwise_gbps(n, lambda a, b: a + b, 12)))
        # Ours disposes its result (`using var c = a + b`); PyTorch frees it when the last reference goes, which for
        # `a + b` in a loop is the same thing: the same op as add_f32.
        rows.append((f"add_dispose_f32_{label}", "GB/s", True, lambda n=n: elementwise_gbps(n, lambda a, b: a + b, 12)))
        rows.append((f"add_inplace_f32_{label}", "GB/s", True, lambda n=n: elementwise_gbps(n, lambda a, b: a.add_(b), 12)))
        rows.append((f"add_out_f32_{label}", "GB/s", True, lambda n=n: out_gbps(n, 12)))
        rows.append((f"exp_f32_{label}", "GB/s", True, lambda n=n: elementwise_gbps(n, lambda a, b: a.exp(), 8)))
    for n in (1, 64):
        rows.append((f"add_overhead_{n}", "ns/op", False, lambda n=n: overhead_ns(n, lambda a, b: a + b)))
        rows.append((f"exp_overhead_{n}", "ns/op", False, lambda n=n: overhead_ns(n, lambda a, b: a.exp())))
        rows.append((f"mul_scalar_overhead_{n}", "ns/op", False, lambda n=n: overhead_ns(n, lambda a, b: a * 2)))
        rows.append((f"sum_overhead_{n}", "ns/op", False, lambda n=n: overhead_ns(n, lambda a, b: a.sum())))
    rows.append(("mlp_4_64_64_2_fwd_bwd_b64", "us/iter", False, lambda: mlp_fwd_bwd_us(threads)))
    rows.append(("mlp_4_64_64_2_fwd_bwd_b64_1t", "us/iter", False, lambda: mlp_fwd_bwd_us(1)))
    rows.append(("mlp_4_64_64_2_adam_b64", "us/iter", False, lambda: mlp_adam_us(threads)))
    rows.append(("mlp_4_64_64_2_adam_b64_1t", "us/iter", False, lambda: mlp_adam_us(1)))
    rows.append(("dqn_conv_adam_b32", "ms/iter", False, dqn_conv_adam_ms))
    rows.append(("chain8_f32_1M", "ms/iter", False, lambda: chain8_ms(1 << 20)))
    rows.append(("chain8_f32_16M", "ms/iter", False, lambda: chain8_ms(1 << 24)))
    rows.append(("adam_f32_1M", "ms/iter", False, adam_ms))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", help="comma-separated row names (default: all)")
    parser.add_argument("--list", action="store_true", help="print the row names and exit")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for the multi-threaded rows (default 2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = all_rows(args.threads)
    if args.list:
        for name, _, _, _ in rows:
            print(name)
        return 0
    wanted = None
    if args.rows:
        wanted = [r.strip() for r in args.rows.split(",") if r.strip()]
        unknown = sorted(set(wanted) - {r[0] for r in rows})
        if unknown:
            print(f"unknown rows: {', '.join(unknown)}", file=sys.stderr)
            return 2
    print(json.dumps({"info": "torch", "version": torch.__version__, "threads": torch.get_num_threads()}), file=sys.stderr)
    for name, unit, higher, measure in rows:
        if wanted is not None and name not in wanted:
            continue
        print(json.dumps({"row": name, "value": round(measure(), 3), "unit": unit, "higher_is_better": higher}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
