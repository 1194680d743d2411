"""PyTorch peer of `Online.Benchmarks act`: one action from a 12-64-64-5 ReLU MLP on one observation, no grad, 1 thread."""
import sys, time
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
iters = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))
x = torch.arange(12, dtype=torch.float32).mul(0.1).unsqueeze(0)
with torch.no_grad():
    for _ in range(10000):
        net(x).argmax()
    t = time.perf_counter()
    for _ in range(iters):
        net(x).argmax()
    us = (time.perf_counter() - t) * 1e6 / iters
print(f"ACT_PEER\ttorch_us={us:.3f}")
