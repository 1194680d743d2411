"""PyTorch peer of benchmarks/NN.Benchmarks: the same two training steps, 2 threads; wall and CPU ms per step."""
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)


def report(name, step, warmup, iters):
    for _ in range(warmup):
        step()
    t, c = time.perf_counter(), time.process_time()
    for _ in range(iters):
        step()
    wall = (time.perf_counter() - t) * 1000 / iters
    cpu = (time.process_time() - c) * 1000 / iters
    print(f"{name}\t{wall:.4f}\t{cpu:.4f}")


def mlp_step():
    net = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x, y = torch.randn(64, 4), torch.randn(64, 2)

    def step():
        opt.zero_grad()
        F.mse_loss(net(x), y).backward()
        opt.step()
    return step


def conv_step():
    net = nn.Sequential(
        nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
        nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, 6))
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    x, y = torch.rand(32, 4, 84, 84), torch.randn(32, 6)

    def step():
        opt.zero_grad()
        F.smooth_l1_loss(net(x), y).backward()
        opt.step()
    return step


only = sys.argv[1] if len(sys.argv) > 1 else None
if only in (None, "mlp"):
    report("mlp_4x64x64x2_b64", mlp_step(), 200, 2000)
if only in (None, "conv"):
    report("nature_dqn_84x84_b32", conv_step(), 3, 20)
