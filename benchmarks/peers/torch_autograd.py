"""PyTorch eager peer of benchmarks/Autograd.Benchmarks: same rows, same output format (name<TAB>microseconds, 10th percentile)."""
import argparse
import time

import torch


def time_step(step):
    """10th percentile of single-iteration wall times over ~2 s after a 5 s warm-up, like the C# side (shared machine)."""
    start = time.perf_counter()
    while time.perf_counter() - start < 5.0:
        step()
    samples = []
    start = time.perf_counter()
    while time.perf_counter() - start < 2.0 and len(samples) < 200_000:
        t0 = time.perf_counter()
        step()
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return samples[len(samples) // 10]


def mlp_step(backward):
    g = torch.Generator().manual_seed(0)

    def p(*shape):
        return (torch.randn(*shape, generator=g) * 0.3).requires_grad_()

    w1, b1, w2, b2, w3, b3 = p(4, 64), p(64), p(64, 64), p(64), p(64, 2), p(2)
    params = [w1, b1, w2, b2, w3, b3]
    x = torch.randn(64, 4, generator=g)

    def forward():
        return x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3).square().mean()

    if not backward:
        def step():
            with torch.no_grad():
                forward()
        return step

    def step():
        for q in params:
            q.grad = None
        forward().backward()
    return step


def chain_step():
    x = torch.tensor([0.1, -0.2, 0.3, 0.4], requires_grad=True)

    def step():
        x.grad = None
        y = x
        for _ in range(10):
            y = y.mul(0.9).add(0.1).tanh()
        y.sum().backward()
    return step


ROWS = {
    "mlp_fwd_bwd": lambda: mlp_step(True),
    "mlp_fwd_nograd": lambda: mlp_step(False),
    "chain_fwd_bwd": chain_step,
}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", default=",".join(ROWS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(ROWS))
    else:
        torch.set_num_threads(a.threads)
        for name in a.rows.split(","):
            print(f"{name}\t{time_step(ROWS[name]()):.2f}", flush=True)
