"""Peer for benchmarks/envs.sh: NUMPY PORTS of Gymnasium 1.x's CartPole-v1 and Pendulum-v1 step/reset code.

THIS IS NOT GYMNASIUM. Gymnasium cannot be installed on these machines (no PyPI access, no Debian package), so
this file re-types the step and reset bodies of gymnasium/envs/classic_control/cartpole.py and pendulum.py, the
default make() stack (PassiveEnvChecker -> OrderEnforcing -> TimeLimit, reduced to their per-step work) and the
SyncVectorEnv next-step autoreset loop, with numpy as Gymnasium uses it. Its figures stand in for Gymnasium's and
are labelled "numpy port" everywhere they are printed.

Prints "<env id> <mode> <steps per second>" lines, the format envs.sh reads.
"""
import math
import sys
import time

import numpy as np


class Discrete:
    def __init__(self, n):
        self.n = n
        self.start = np.int64(0)

    def contains(self, x):  # gymnasium.spaces.Discrete.contains
        if isinstance(x, int):
            as_int64 = np.int64(x)
        elif isinstance(x, (np.generic, np.ndarray)) and (np.issubdtype(x.dtype, np.integer) and x.shape == ()):
            as_int64 = np.int64(x)
        else:
            return False
        return bool(self.start <= as_int64 < self.start + self.n)


class CartPoleEnv:
    def __init__(self):
        self.gravity, self.masscart, self.masspole = 9.8, 1.0, 0.1
        self.total_mass = self.masspole + self.masscart
        self.length = 0.5
        self.polemass_length = self.masspole * self.length
        self.force_mag, self.tau = 10.0, 0.02
        self.theta_threshold_radians = 12 * 2 * math.pi / 360
        self.x_threshold = 2.4
        self.action_space = Discrete(2)
        self.np_random = np.random.default_rng(0)
        self.state = None
        self.steps_beyond_terminated = None

    def step(self, action):
        assert self.action_space.contains(action), f"{action!r} ({type(action)}) invalid"
        assert self.state is not None, "Call reset before using step method."
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta = np.cos(theta)
        sintheta = np.sin(theta)
        temp = (force + self.polemass_length * np.square(theta_dot) * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * np.square(costheta) / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = np.array((x, x_dot, theta, theta_dot), dtype=np.float64)
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        if not terminated:
            reward = 1.0
        elif self.steps_beyond_terminated is None:
            self.steps_beyond_terminated = 0
            reward = 1.0
        else:
            self.steps_beyond_terminated += 1
            reward = 0.0
        return np.array(self.state, dtype=np.float32), reward, terminated, False, {}

    def reset(self, seed=None):
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))
        self.steps_beyond_terminated = None
        return np.array(self.state, dtype=np.float32), {}


def angle_normalize(x):
    return ((x + np.pi) % (2 * np.pi)) - np.pi


class PendulumEnv:
    def __init__(self, g=10.0):
        self.max_speed, self.max_torque, self.dt = 8, 2.0, 0.05
        self.g, self.m, self.l = g, 1.0, 1.0
        self.np_random = np.random.default_rng(0)
        self.state = None

    def step(self, u):
        th, thdot = self.state
        g, m, l, dt = self.g, self.m, self.l, self.dt
        u = np.clip(u, -self.max_torque, self.max_torque)[0]
        self.last_u = u
        costs = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * (u ** 2)
        newthdot = thdot + (3 * g / (2 * l) * np.sin(th) + 3.0 / (m * l ** 2) * u) * dt
        newthdot = np.clip(newthdot, -self.max_speed, self.max_speed)
        newth = th + newthdot * dt
        self.state = np.array([newth, newthdot])
        return self._get_obs(), -costs, False, False, {}

    def reset(self, seed=None):
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        high = np.array([np.pi, 1.0])
        self.state = self.np_random.uniform(low=-high, high=high)
        self.last_u = None
        return self._get_obs(), {}

    def _get_obs(self):
        theta, thetadot = self.state
        return np.array([np.cos(theta), np.sin(theta), thetadot], dtype=np.float32)


class Wrapper:
    def __init__(self, env):
        self.env = env

    def reset(self, seed=None):
        return self.env.reset(seed=seed)

    def step(self, action):
        return self.env.step(action)


class PassiveEnvChecker(Wrapper):  # after the first calls it only forwards
    pass


class OrderEnforcing(Wrapper):
    def __init__(self, env):
        super().__init__(env)
        self._has_reset = False

    def step(self, action):
        if not self._has_reset:
            raise RuntimeError("Cannot call env.step() before calling env.reset()")
        return self.env.step(action)

    def reset(self, seed=None):
        self._has_reset = True
        return self.env.reset(seed=seed)


class TimeLimit(Wrapper):
    def __init__(self, env, max_episode_steps):
        super().__init__(env)
        self._max_episode_steps = max_episode_steps
        self._elapsed_steps = None

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        self._elapsed_steps += 1
        if self._elapsed_steps >= self._max_episode_steps:
            truncated = True
        return observation, reward, terminated, truncated, info

    def reset(self, seed=None):
        self._elapsed_steps = 0
        return self.env.reset(seed=seed)


def make(env_id):
    env, steps = (CartPoleEnv(), 500) if env_id == "CartPole-v1" else (PendulumEnv(), 200)
    return TimeLimit(OrderEnforcing(PassiveEnvChecker(env)), steps)


class SyncVectorEnv:
    """Gymnasium 1.x SyncVectorEnv.step with next-step autoreset, writing into one batch array."""

    def __init__(self, env_id, n):
        self.envs = [make(env_id) for _ in range(n)]
        self.n = n

    def reset(self, seed):
        obs = [e.reset(seed=seed + i)[0] for i, e in enumerate(self.envs)]
        self._observations = np.stack(obs)
        self._rewards = np.zeros(self.n, dtype=np.float64)
        self._terminations = np.zeros(self.n, dtype=np.bool_)
        self._truncations = np.zeros(self.n, dtype=np.bool_)
        self._autoreset_envs = np.zeros(self.n, dtype=np.bool_)
        return self._observations

    def step(self, actions):
        env_obs, infos = [], {}
        for i, action in enumerate(actions):
            if self._autoreset_envs[i]:
                o, info = self.envs[i].reset()
                self._rewards[i] = 0.0
                self._terminations[i] = False
                self._truncations[i] = False
            else:
                o, self._rewards[i], self._terminations[i], self._truncations[i], info = self.envs[i].step(action)
            env_obs.append(o)
        np.stack(env_obs, out=self._observations)
        self._autoreset_envs = np.logical_or(self._terminations, self._truncations)
        return self._observations, np.copy(self._rewards), np.copy(self._terminations), np.copy(self._truncations), infos


def timed(run, env_steps_per_iter, seconds):
    run(200)
    n, start = 200, time.perf_counter()
    run(n)
    while time.perf_counter() - start < 0.2:
        n *= 2
        start = time.perf_counter()
        run(n)
    n = max(200, int(n * seconds / (time.perf_counter() - start)))
    start = time.perf_counter()
    run(n)
    return n * env_steps_per_iter / (time.perf_counter() - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    rng = np.random.default_rng(1234)
    cart_actions = [int(a) for a in rng.integers(0, 2, size=1 << 16)]
    pend_actions = [a for a in rng.uniform(-2, 2, size=(1 << 12, 1)).astype(np.float32)]
    for env_id, actions in (("CartPole-v1", cart_actions), ("Pendulum-v1", pend_actions)):
        mask = len(actions) - 1
        env = make(env_id)
        env.reset(seed=0)

        def single(n):
            for i in range(n):
                _, _, term, trunc, _ = env.step(actions[i & mask])
                if term or trunc:
                    env.reset()

        print(f"{env_id} single {timed(single, 1, seconds):.0f}", flush=True)
        venv = SyncVectorEnv(env_id, 8)
        venv.reset(0)

        def vec(n):
            for i in range(n):
                venv.step([actions[(i * 8 + e) & mask] for e in range(8)])

        print(f"{env_id} sync-vec8 {timed(vec, 8, seconds):.0f}", flush=True)


if __name__ == "__main__":
    main()
