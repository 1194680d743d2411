#!/usr/bin/python3
"""Peer for benchmarks/agents.sh: a CleanRL-style DQN (cleanrl/dqn.py's loop) in pure PyTorch on the numpy CartPole-v1
of ppo_cartpole_torch.py, with the rl-zoo hyperparameters rlplat's DQN runs with on CartPole-v1.

NOT Stable-Baselines3 (not installable here): SB3's DQN semantics written the CleanRL way: MLP 256x256 ReLU, Adam
lr 2.3e-3, replay 100k, batch 64, learning_starts 1000, gamma 0.99, hard target update every 10 env steps,
train_freq 256 env steps with 128 gradient steps, epsilon linear 1.0 -> 0.04 over the first 16% of training,
Huber loss, max_grad_norm 10; a time-limit truncation stores the final observation and still bootstraps.
Prints one JSON line: steps, training seconds (evaluation excluded), steps/s, time to the first evaluation with mean
return >= 475 over 20 deterministic episodes (evaluated every 10k steps), and the final evaluation.
"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from ppo_cartpole_torch import CartPoleVec, evaluate

torch.set_num_threads(1)


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    lr, buffer_size, batch, starts, gamma = 2.3e-3, 100_000, 64, 1000, 0.99
    target_every, train_freq, grad_steps, expl_fraction, eps_final, max_grad_norm = 10, 256, 128, 0.16, 0.04, 10.0
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    q = nn.Sequential(nn.Linear(4, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
    q_target = nn.Sequential(nn.Linear(4, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
    q_target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=lr)
    obs_buf = np.zeros((buffer_size, 4), np.float32)
    next_buf = np.zeros((buffer_size, 4), np.float32)
    act_buf = np.zeros(buffer_size, np.int64)
    rew_buf = np.zeros(buffer_size, np.float32)
    term_buf = np.zeros(buffer_size, np.float32)
    size, pos = 0, 0
    env = CartPoleVec(1, seed)
    obs = env.obs()
    train_time, reached, next_eval = 0.0, None, 10_000
    t0 = time.perf_counter()
    for step in range(1, total + 1):
        eps = max(eps_final, 1.0 + (eps_final - 1.0) * (step - 1) / (expl_fraction * total))
        if step <= starts or rng.random() < eps:
            action = np.array([rng.integers(2)])
        else:
            with torch.no_grad():
                action = q(torch.from_numpy(obs)).argmax(-1).numpy()
        next_obs, reward, term, trunc, final, _ = env.step(action)
        # The true next observation (before autoreset) is stored; only termination stops bootstrapping.
        obs_buf[pos], next_buf[pos], act_buf[pos], rew_buf[pos], term_buf[pos] = obs[0], final[0], action[0], reward[0], float(term[0])
        pos, size = (pos + 1) % buffer_size, min(size + 1, buffer_size)
        obs = next_obs
        if step > starts and step % train_freq == 0:
            for _ in range(grad_steps):
                i = rng.integers(0, size, batch)
                o, no = torch.from_numpy(obs_buf[i]), torch.from_numpy(next_buf[i])
                with torch.no_grad():
                    target = torch.from_numpy(rew_buf[i]) + gamma * (1 - torch.from_numpy(term_buf[i])) * q_target(no).max(-1).values
                current = q(o).gather(1, torch.from_numpy(act_buf[i]).unsqueeze(-1)).squeeze(-1)
                loss = F.smooth_l1_loss(current, target)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(q.parameters(), max_grad_norm)
                opt.step()
        if step % target_every == 0:
            q_target.load_state_dict(q.state_dict())
        if step >= next_eval:
            train_time += time.perf_counter() - t0
            m = evaluate(q)
            if reached is None and m >= 475:
                reached = {"steps": step, "seconds": train_time}
            next_eval += 10_000
            t0 = time.perf_counter()
    train_time += time.perf_counter() - t0
    final_eval = evaluate(q)
    print(json.dumps({"peer": "cleanrl-style dqn, pytorch " + torch.__version__ + ", numpy cartpole", "seed": seed, "steps": total,
                      "train_seconds": train_time, "steps_per_second": total / train_time, "reached_475": reached,
                      "final_eval_mean": final_eval}))


if __name__ == "__main__":
    main()
