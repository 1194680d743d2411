"""PyTorch peer of benchmarks/Tensors.Benchmarks: the same cases, printed as 'op size ns_per_call -' lines."""
import sys
import time

import torch

quick = "--quick" in sys.argv
torch.manual_seed(0)


def cases():
    for n in (1, 64, 1 << 20, 1 << 24):
        a, b = torch.rand(n), torch.rand(n)
        yield "add_inplace", n, n, lambda a=a, b=b: a.add_(b)
        yield "add", n, n, lambda a=a, b=b: a + b
        yield "mul_scalar", n, n, lambda a=a: a * 2
        yield "exp", n, n, lambda a=a: a.exp()
        yield "sum", n, n, lambda a=a: a.sum()
        s = torch.rand(2 * n)[::2]
        yield "add_strided", n, n, lambda s=s, b=b: s + b
    for m in (8, 64, 256):
        a, b = torch.rand(m, m), torch.rand(m, m)
        yield "matmul", m, m ** 3, lambda a=a, b=b: a @ b
    a = torch.rand(1024, 1024)
    yield "sum_dim0", 1024, 1 << 20, lambda a=a: a.sum(0)
    yield "softmax_rows", 1024, 1 << 20, lambda a=a: a.softmax(-1)


print(f"# torch {torch.__version__} threads={torch.get_num_threads()}: op size ns_per_call -")
with torch.no_grad():
    for name, size, elems, op in cases():
        budget = 5e7 if quick else 3e8
        iters = max(3, int(budget / max(1.0, elems * 0.5)))
        iters = min(iters, 200_000 if quick else 2_000_000)
        for _ in range(min(iters, 1000)):
            op()
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter_ns()
            for _ in range(iters):
                op()
            best = min(best, (time.perf_counter_ns() - t0) / iters)
        print(f"{name} {size} {best:.1f} -", flush=True)
