#!/usr/bin/python3
"""Peer for benchmarks/agents.sh: a CleanRL-style PPO in pure PyTorch on a numpy port of Gymnasium's CartPole-v1.

NOT Stable-Baselines3 (not installable here): the same algorithm and rl-zoo hyperparameters SB3 would use
(8 envs, n_steps 32, batch 256, 20 epochs, gamma 0.98, gae_lambda 0.8, lr lin_1e-3, clip lin_0.2, 64x64 tanh,
separate actor and critic, orthogonal init, Adam eps 1e-5, max_grad_norm 0.5), written the CleanRL way.
Prints one JSON line: steps, training seconds (evaluation excluded), steps/s, time to the first evaluation
with mean return >= 475 over 20 deterministic episodes (evaluated every 10k steps), and the final evaluation.
"""
import json, math, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)


class CartPoleVec:
    """Gymnasium CartPole-v1 physics (Euler, float64 state, float32 obs), 500-step limit, SB3-style autoreset."""

    def __init__(self, n, seed):
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.state = self.rng.uniform(-0.05, 0.05, (n, 4))
        self.steps = np.zeros(n, dtype=np.int64)
        self.ep_ret = np.zeros(n)

    def obs(self):
        return self.state.astype(np.float32)

    def step(self, action):
        x, x_dot, th, th_dot = self.state.T
        force = np.where(action == 1, 10.0, -10.0)
        cos, sin = np.cos(th), np.sin(th)
        temp = (force + 0.05 * th_dot ** 2 * sin) / 1.1
        th_acc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos ** 2 / 1.1))
        x_acc = temp - 0.05 * th_acc * cos / 1.1
        x = x + 0.02 * x_dot
        x_dot = x_dot + 0.02 * x_acc
        th = th + 0.02 * th_dot
        th_dot = th_dot + 0.02 * th_acc
        self.state = np.stack([x, x_dot, th, th_dot], axis=1)
        self.steps += 1
        terminated = (np.abs(x) > 2.4) | (np.abs(th) > 12 * 2 * math.pi / 360)
        truncated = (~terminated) & (self.steps >= 500)
        reward = np.ones(self.n, dtype=np.float32)
        self.ep_ret += 1
        done = terminated | truncated
        final_obs = self.obs()
        finished = self.ep_ret[done].copy()
        if done.any():
            self.state[done] = self.rng.uniform(-0.05, 0.05, (int(done.sum()), 4))
            self.steps[done] = 0
            self.ep_ret[done] = 0
        return self.obs(), reward, terminated, truncated, final_obs, finished


def layer(i, o, std=math.sqrt(2)):
    l = nn.Linear(i, o)
    nn.init.orthogonal_(l.weight, std)
    nn.init.constant_(l.bias, 0.0)
    return l


class Agent(nn.Module):
    def __init__(self):
        super().__init__()
        self.critic = nn.Sequential(layer(4, 64), nn.Tanh(), layer(64, 64), nn.Tanh(), layer(64, 1, 1.0))
        self.actor = nn.Sequential(layer(4, 64), nn.Tanh(), layer(64, 64), nn.Tanh(), layer(64, 2, 0.01))


def evaluate(scores, episodes=20, seed=12345):
    """Mean return of 20 greedy episodes: the action with the highest score (logit or Q value) each step."""
    env = CartPoleVec(1, seed)
    returns = []
    obs = env.obs()
    with torch.no_grad():
        while len(returns) < episodes:
            a = scores(torch.from_numpy(obs)).argmax(-1).numpy()
            obs, _, _, _, _, finished = env.step(a)
            returns.extend(finished.tolist())
    return float(np.mean(returns[:episodes]))


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    torch.manual_seed(seed)
    n_envs, n_steps, batch, epochs, gamma, lam = 8, 32, 256, 20, 0.98, 0.8
    agent = Agent()
    opt = torch.optim.Adam(agent.parameters(), lr=1e-3, eps=1e-5)
    env = CartPoleVec(n_envs, seed)
    obs_b = torch.zeros(n_steps, n_envs, 4)
    act_b = torch.zeros(n_steps, n_envs, dtype=torch.long)
    logp_b, rew_b, val_b = torch.zeros(n_steps, n_envs), torch.zeros(n_steps, n_envs), torch.zeros(n_steps, n_envs)
    term_b, trunc_b, tval_b = torch.zeros(n_steps, n_envs), torch.zeros(n_steps, n_envs), torch.zeros(n_steps, n_envs)
    obs = torch.from_numpy(env.obs())
    steps, train_time, reached, next_eval = 0, 0.0, None, 10_000
    t0 = time.perf_counter()
    while steps < total:
        frac = 1.0 - steps / total
        for g in opt.param_groups:
            g["lr"] = 1e-3 * frac
        clip = 0.2 * frac
        for t in range(n_steps):
            with torch.no_grad():
                logits = agent.actor(obs)
                dist = torch.distributions.Categorical(logits=logits)
                a = dist.sample()
                val_b[t] = agent.critic(obs).squeeze(-1)
            obs_b[t], act_b[t], logp_b[t] = obs, a, dist.log_prob(a)
            nobs, r, term, trunc, final, _ = env.step(a.numpy())
            rew_b[t] = torch.from_numpy(r)
            term_b[t], trunc_b[t] = torch.from_numpy(term.astype(np.float32)), torch.from_numpy(trunc.astype(np.float32))
            if trunc.any():
                with torch.no_grad():
                    tval_b[t] = agent.critic(torch.from_numpy(final)).squeeze(-1) * trunc_b[t]
            else:
                tval_b[t] = 0
            obs = torch.from_numpy(nobs)
            steps += n_envs
        with torch.no_grad():
            next_v = agent.critic(obs).squeeze(-1)
            adv = torch.zeros(n_steps, n_envs)
            last = torch.zeros(n_envs)
            for t in reversed(range(n_steps)):
                done = torch.clamp(term_b[t] + trunc_b[t], 0, 1)
                boot = torch.where(term_b[t] > 0, torch.zeros(n_envs), torch.where(trunc_b[t] > 0, tval_b[t], next_v))
                delta = rew_b[t] + gamma * boot - val_b[t]
                last = delta + gamma * lam * (1 - done) * last
                adv[t] = last
                next_v = val_b[t]
            ret = adv + val_b
        b_obs, b_act, b_logp = obs_b.reshape(-1, 4), act_b.reshape(-1), logp_b.reshape(-1)
        b_adv, b_ret, b_val = adv.reshape(-1), ret.reshape(-1), val_b.reshape(-1)
        n = n_steps * n_envs
        for _ in range(epochs):
            perm = torch.randperm(n)
            for s in range(0, n, batch):
                i = perm[s:s + batch]
                dist = torch.distributions.Categorical(logits=agent.actor(b_obs[i]))
                logp = dist.log_prob(b_act[i])
                ratio = (logp - b_logp[i]).exp()
                a_ = b_adv[i]
                a_ = (a_ - a_.mean()) / (a_.std() + 1e-8)
                pg = -torch.min(a_ * ratio, a_ * ratio.clamp(1 - clip, 1 + clip)).mean()
                v = agent.critic(b_obs[i]).squeeze(-1)
                vloss = ((b_ret[i] - v) ** 2).mean()
                loss = pg + 0.5 * vloss - 0.0 * dist.entropy().mean()
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), 0.5)
                opt.step()
        if steps >= next_eval:
            train_time += time.perf_counter() - t0
            m = evaluate(agent.actor)
            if reached is None and m >= 475:
                reached = {"steps": steps, "seconds": train_time}
            next_eval += 10_000
            t0 = time.perf_counter()
    train_time += time.perf_counter() - t0
    final = evaluate(agent.actor)
    print(json.dumps({"peer": "cleanrl-style ppo, pytorch " + torch.__version__ + ", numpy cartpole", "seed": seed, "steps": steps,
                      "train_seconds": train_time, "steps_per_second": steps / train_time, "reached_475": reached,
                      "final_eval_mean": final}))


if __name__ == "__main__":
    main()
