#!/usr/bin/env python3
"""rlplat remote-env protocol in pure Python (msgpack + numpy): a client and a server.

The protocol is written down in Connectors/PROTOCOL.md. In short: each frame is a 4-byte little-endian length and a
MessagePack map with a "type" key; the client sends create / reset / step / close, the server answers created /
reset / step / closed, or error (with a gRPC-style code) and then closes the session.

    # drive an rlplat env (rlplat serve CartPole-v1 --port 7000) from Python
    env = RemoteEnvClient("127.0.0.1", 7000, "CartPole-v1")
    obs, info = env.reset(seed=42)
    obs, reward, terminated, truncated, info = env.step(1)

    # serve a Python env (anything with Gymnasium's reset/step/spaces API) to rlplat agents
    serve(lambda env_id, kwargs: MyEnv(**kwargs), port=7001)

Command line (used by the tests, handy for trying things):
    rlplat_remote.py serve [--port 0] [--token T]     serve the pure-Python CartPole below as "CartPole-py"
    rlplat_remote.py client --port P --env ID [--seed S] [--actions 1,0,1]  step a remote env, print JSON lines
"""
import json
import math
import socket
import socketserver
import struct
import sys
import threading

import msgpack
import numpy as np

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 4 << 20

# gRPC status codes, as dm_env_rpc uses them
INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, PERMISSION_DENIED = 3, 4, 5, 7
RESOURCE_EXHAUSTED, FAILED_PRECONDITION, UNIMPLEMENTED, INTERNAL, UNAVAILABLE = 8, 9, 12, 13, 14
CODE_NAMES = {3: "InvalidArgument", 4: "DeadlineExceeded", 5: "NotFound", 7: "PermissionDenied", 8: "ResourceExhausted",
              9: "FailedPrecondition", 12: "Unimplemented", 13: "Internal", 14: "Unavailable"}
DTYPES = ("float32", "float64", "uint8", "int8", "int32", "int64", "bool")


class ProtocolError(Exception):
    """A protocol failure with its wire code; the peer gets it as an error message."""

    def __init__(self, code, message):
        super().__init__(f"{CODE_NAMES.get(code, code)}: {message}")
        self.code = code
        self.text = message


# ---- values ---------------------------------------------------------------------------------------------------------

def encode_value(value):
    """Python/numpy value -> msgpack-ready object: arrays become tensor maps {dtype, shape, data}."""
    if isinstance(value, np.ndarray):
        name = str(value.dtype)
        if name not in DTYPES:
            raise ValueError(f"dtype {name} has no wire form (use one of {', '.join(DTYPES)})")
        return {"dtype": name, "shape": list(value.shape),
                "data": np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<")).tobytes()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    return str(value)


def decode_value(value):
    """msgpack object -> Python/numpy value: tensor maps become numpy arrays (0-d ones, numpy scalars)."""
    if isinstance(value, dict):
        if len(value) == 3 and "dtype" in value and "shape" in value and "data" in value:
            dtype, shape, data = value["dtype"], value["shape"], value["data"]
            if dtype not in DTYPES:
                raise ProtocolError(INVALID_ARGUMENT, f"unknown dtype '{str(dtype)[:40]}'")
            if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
                raise ProtocolError(INVALID_ARGUMENT, "tensor shape must be a list of non-negative integers")
            count = math.prod(shape)
            itemsize = np.dtype(dtype).itemsize
            if not isinstance(data, bytes) or count * itemsize != len(data):
                raise ProtocolError(INVALID_ARGUMENT, f"tensor of shape {shape} and dtype {dtype} needs {count * itemsize} bytes")
            array = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype).reshape(shape)
            return array[()] if not shape else array
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


# ---- spaces: minimal Box / Discrete / MultiDiscrete / MultiBinary / Dict / Tuple (gymnasium is optional) ----------------

class Box:
    def __init__(self, low, high, shape=None, dtype=np.float32):
        self.dtype = np.dtype(dtype)
        shape = tuple(shape) if shape is not None else np.shape(low)
        self.low = np.broadcast_to(np.asarray(low, dtype=np.float64), shape).astype(self.dtype)
        self.high = np.broadcast_to(np.asarray(high, dtype=np.float64), shape).astype(self.dtype)
        self.shape = shape

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self):
        return f"Box({self.shape}, {self.dtype})"


class Discrete:
    def __init__(self, n, start=0):
        self.n, self.start, self.shape = int(n), int(start), ()

    def contains(self, x):
        return isinstance(x, (int, np.integer)) and self.start <= int(x) < self.start + self.n

    def __repr__(self):
        return f"Discrete({self.n})"


class MultiDiscrete:
    def __init__(self, nvec, start=None):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=np.int64)
        self.shape = self.nvec.shape


class MultiBinary:
    def __init__(self, n):
        self.shape = (n,) if isinstance(n, int) else tuple(n)


class Dict:
    def __init__(self, spaces):
        self.spaces = dict(sorted(spaces.items()))


class Tuple:
    def __init__(self, spaces):
        self.spaces = tuple(spaces)


def describe_space(space):
    """Any space with gymnasium's attributes -> its wire description."""
    kind = type(space).__name__
    if hasattr(space, "nvec"):
        return {"kind": "multi_discrete", "nvec": [int(v) for v in space.nvec], "start": [int(v) for v in getattr(space, "start", np.zeros_like(space.nvec))]}
    if hasattr(space, "n") and not hasattr(space, "low") and kind != "MultiBinary":
        return {"kind": "discrete", "n": int(space.n), "start": int(getattr(space, "start", 0))}
    if hasattr(space, "low"):
        shape = list(space.shape)
        return {"kind": "box", "dtype": str(np.dtype(space.dtype)), "shape": shape,
                "low": [float(v) for v in np.asarray(space.low, dtype=np.float64).ravel()],
                "high": [float(v) for v in np.asarray(space.high, dtype=np.float64).ravel()]}
    if kind == "MultiBinary":
        return {"kind": "multi_binary", "shape": list(space.shape)}
    if isinstance(getattr(space, "spaces", None), dict):
        return {"kind": "dict", "spaces": {k: describe_space(s) for k, s in space.spaces.items()}}
    if isinstance(getattr(space, "spaces", None), (tuple, list)):
        return {"kind": "tuple", "spaces": [describe_space(s) for s in space.spaces]}
    return {"kind": "other", "type": kind, "shape": list(getattr(space, "shape", ()) or ())}


def rebuild_space(d):
    """A wire description -> one of the minimal space classes above."""
    kind = d.get("kind")
    if kind == "box":
        return Box(np.asarray(d["low"]).reshape(d["shape"]), np.asarray(d["high"]).reshape(d["shape"]), d["shape"], d["dtype"])
    if kind == "discrete":
        return Discrete(d["n"], d.get("start", 0))
    if kind == "multi_discrete":
        return MultiDiscrete(d["nvec"], d.get("start"))
    if kind == "multi_binary":
        return MultiBinary(d["shape"])
    if kind == "dict":
        return Dict({k: rebuild_space(v) for k, v in d["spaces"].items()})
    if kind == "tuple":
        return Tuple([rebuild_space(v) for v in d["spaces"]])
    return d


def coerce_action(space, action):
    """A decoded action -> the space's Python type (numpy array of the dtype, or int)."""
    if isinstance(space, Discrete):
        if isinstance(action, np.ndarray) and action.size == 1:
            action = action.reshape(())[()]
        if not isinstance(action, (int, np.integer)):
            raise ProtocolError(INVALID_ARGUMENT, f"action must be an integer for {space}, got {action!r}")
        return int(action)
    if isinstance(space, Box):
        array = np.asarray(action, dtype=space.dtype)
        if array.shape != space.shape:
            array = array.reshape(space.shape) if array.size == math.prod(space.shape) else None
        if array is None:
            raise ProtocolError(INVALID_ARGUMENT, f"action has the wrong size for {space}")
        return array
    return action


# ---- frames ---------------------------------------------------------------------------------------------------------

def _recv_exactly(sock, n):
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            return None if got == 0 else b""
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def send_message(sock, message):
    payload = msgpack.packb(message, use_bin_type=True)
    sock.sendall(struct.pack("<I", len(payload)) + payload)


def recv_message(sock, max_frame_bytes=MAX_FRAME_BYTES):
    """One message, or None when the peer closed between frames."""
    header = _recv_exactly(sock, 4)
    if header is None:
        return None
    if len(header) < 4:
        raise ProtocolError(INVALID_ARGUMENT, "connection closed mid-frame")
    (length,) = struct.unpack("<I", header)
    if length > max_frame_bytes:
        raise ProtocolError(RESOURCE_EXHAUSTED, f"frame of {length} bytes exceeds the limit of {max_frame_bytes} bytes")
    payload = _recv_exactly(sock, length) if length else b""
    if payload is None or len(payload) < length:
        raise ProtocolError(INVALID_ARGUMENT, "connection closed mid-frame")
    try:
        message = msgpack.unpackb(payload, raw=False, strict_map_key=True)
    except Exception as e:  # any msgpack failure is the peer's fault, reported as such
        raise ProtocolError(INVALID_ARGUMENT, f"malformed MessagePack: {e}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError(INVALID_ARGUMENT, "message has no string 'type'")
    return message


# ---- client ---------------------------------------------------------------------------------------------------------

class RemoteEnvClient:
    """A remote env with Gymnasium's API: reset(seed, options) -> (obs, info); step(a) -> 5-tuple; close()."""

    def __init__(self, host, port, env_id="", kwargs=None, token=None, timeout=30.0):
        self.address = f"tcp://{host}:{port}"
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        created = self._call({"type": "create", "version": PROTOCOL_VERSION, "env_id": env_id, "kwargs": kwargs or {}, "token": token}, "created")
        self.observation_space = rebuild_space(created["observation_space"])
        self.action_space = rebuild_space(created["action_space"])
        self.max_episode_steps = created.get("max_episode_steps")

    def _call(self, message, expected):
        try:
            send_message(self.sock, message)
            reply = recv_message(self.sock, 64 << 20)
        except (OSError, socket.timeout) as e:
            raise ProtocolError(UNAVAILABLE, f"{self.address}: connection lost ({e})") from None
        if reply is None:
            raise ProtocolError(UNAVAILABLE, f"{self.address}: the server closed the connection")
        if reply["type"] == "error":
            raise ProtocolError(reply.get("code", INTERNAL), reply.get("message", ""))
        if reply["type"] != expected:
            raise ProtocolError(INVALID_ARGUMENT, f"expected '{expected}', got '{reply['type']}'")
        return reply

    def reset(self, seed=None, options=None):
        reply = self._call({"type": "reset", "seed": seed, "options": encode_value(options)}, "reset")
        return decode_value(reply["observation"]), decode_value(reply.get("info") or {})

    def step(self, action):
        reply = self._call({"type": "step", "action": encode_value(action)}, "step")
        return (decode_value(reply["observation"]), float(reply["reward"]), bool(reply["terminated"]),
                bool(reply["truncated"]), decode_value(reply.get("info") or {}))

    def close(self):
        try:
            self._call({"type": "close"}, "closed")
        except ProtocolError:
            pass
        self.sock.close()


# ---- server ---------------------------------------------------------------------------------------------------------

class _Session(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(server.idle_timeout)
        env, obs_space, act_space, reset_done = None, None, None, False
        try:
            while True:
                try:
                    message = recv_message(sock, server.max_frame_bytes)
                    if message is None:
                        return
                    kind = message["type"]
                    if kind == "create":
                        if env is not None:
                            raise ProtocolError(FAILED_PRECONDITION, "create sent twice in one session")
                        if message.get("version") != PROTOCOL_VERSION:
                            raise ProtocolError(UNIMPLEMENTED, f"protocol version {message.get('version')} is not supported (this server speaks {PROTOCOL_VERSION})")
                        if server.token is not None and message.get("token") != server.token:
                            raise ProtocolError(PERMISSION_DENIED, "missing or wrong token")
                        try:
                            env = server.env_factory(message.get("env_id") or "", decode_value(message.get("kwargs") or {}))
                        except Exception as e:
                            raise ProtocolError(NOT_FOUND, f"cannot make env '{message.get('env_id')}': {e}") from None
                        obs_space, act_space = env.observation_space, env.action_space
                        send_message(sock, {"type": "created", "version": PROTOCOL_VERSION, "env_id": message.get("env_id") or "",
                                            "observation_space": describe_space(obs_space), "action_space": describe_space(act_space),
                                            "max_episode_steps": getattr(env, "max_episode_steps", None)})
                    elif kind == "reset":
                        if env is None:
                            raise ProtocolError(FAILED_PRECONDITION, "reset before create")
                        seed = message.get("seed")
                        if seed is not None and not isinstance(seed, int):
                            raise ProtocolError(INVALID_ARGUMENT, f"seed must be an integer or nil, got {seed!r}")
                        obs, info = env.reset(seed=seed, options=decode_value(message.get("options")))
                        reset_done = True
                        send_message(sock, {"type": "reset", "observation": encode_value(obs), "info": encode_value(info)})
                    elif kind == "step":
                        if env is None or not reset_done:
                            raise ProtocolError(FAILED_PRECONDITION, "step before create and reset")
                        if "action" not in message:
                            raise ProtocolError(INVALID_ARGUMENT, "step has no 'action'")
                        action = coerce_action(act_space, decode_value(message["action"]))
                        if hasattr(act_space, "contains") and not act_space.contains(action):
                            raise ProtocolError(INVALID_ARGUMENT, f"action {action!r} is not in the action space {act_space}")
                        obs, reward, terminated, truncated, info = env.step(action)
                        send_message(sock, {"type": "step", "observation": encode_value(obs), "reward": float(reward),
                                            "terminated": bool(terminated), "truncated": bool(truncated), "info": encode_value(info)})
                    elif kind == "close":
                        send_message(sock, {"type": "closed"})
                        return
                    else:
                        raise ProtocolError(UNIMPLEMENTED, f"unknown message type '{kind[:40]}'")
                except ProtocolError as e:
                    send_message(sock, {"type": "error", "code": e.code, "name": CODE_NAMES.get(e.code, ""), "message": e.text})
                    return
                except socket.timeout:
                    send_message(sock, {"type": "error", "code": DEADLINE_EXCEEDED, "name": "DeadlineExceeded", "message": "idle timeout"})
                    return
                except (ValueError, TypeError, KeyError, IndexError, AssertionError) as e:
                    send_message(sock, {"type": "error", "code": INVALID_ARGUMENT, "name": "InvalidArgument", "message": f"{type(e).__name__}: {e}"})
                    return
                except Exception as e:  # the env failed: report it, keep the server up
                    send_message(sock, {"type": "error", "code": INTERNAL, "name": "Internal", "message": f"the env failed: {type(e).__name__}: {e}"})
                    return
        except OSError:
            return  # the client vanished
        finally:
            if env is not None and hasattr(env, "close"):
                env.close()


class RemoteEnvServer(socketserver.ThreadingTCPServer):
    """Serves envs made by env_factory(env_id, kwargs), one per session, on a thread per client."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, env_factory, host="127.0.0.1", port=0, token=None, max_frame_bytes=MAX_FRAME_BYTES, idle_timeout=300.0):
        self.env_factory, self.token = env_factory, token
        self.max_frame_bytes, self.idle_timeout = max_frame_bytes, idle_timeout
        super().__init__((host, port), _Session)

    @property
    def port(self):
        return self.server_address[1]


def serve(env_factory, host="127.0.0.1", port=0, token=None, ready=None):
    """Runs a server until interrupted; ready(port) is called once it listens."""
    with RemoteEnvServer(env_factory, host, port, token) as server:
        if ready:
            ready(server.port)
        server.serve_forever()


# ---- a pure-Python env for tests and demos ---------------------------------------------------------------------------

class CartPole:
    """Gymnasium's CartPole-v1 dynamics in plain numpy (gymnasium itself is not needed): same seeding, same physics."""

    def __init__(self, max_episode_steps=500):
        self.gravity, self.masscart, self.masspole, self.length = 9.8, 1.0, 0.1, 0.5
        self.total_mass, self.polemass_length = self.masspole + self.masscart, self.masspole * self.length
        self.force_mag, self.tau = 10.0, 0.02
        self.theta_threshold_radians, self.x_threshold = 12 * 2 * math.pi / 360, 2.4
        high = np.array([self.x_threshold * 2, np.finfo(np.float32).max, self.theta_threshold_radians * 2, np.finfo(np.float32).max], dtype=np.float32)
        self.observation_space = Box(-high, high, (4,), np.float32)
        self.action_space = Discrete(2)
        self.max_episode_steps = max_episode_steps
        self.np_random = np.random.default_rng()
        self.state, self.steps = None, 0

    def reset(self, seed=None, options=None):
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))
        self.steps = 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + self.polemass_length * np.square(theta_dot) * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * np.square(costheta) / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array((x, x_dot, theta, theta_dot), dtype=np.float64)
        self.steps += 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        truncated = self.steps >= self.max_episode_steps and not terminated
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}


def _main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the pure-Python CartPole as 'CartPole-py'")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--token")
    c = sub.add_parser("client", help="step a remote env and print one JSON line per step")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--env", default="")
    c.add_argument("--seed", type=int)
    c.add_argument("--actions", default="")
    c.add_argument("--token")
    args = parser.parse_args(argv)
    if args.command == "serve":
        def make(env_id, kwargs):
            if env_id not in ("", "CartPole-py"):
                raise ValueError(f"this server has only 'CartPole-py', not '{env_id}'")
            return CartPole(**kwargs)
        serve(make, args.host, args.port, args.token, ready=lambda port: print(f"listening on {args.host}:{port}", flush=True))
        return 0
    env = RemoteEnvClient(args.host, args.port, args.env, token=args.token)
    obs, _ = env.reset(seed=args.seed)
    print(json.dumps({"reset": np.asarray(obs).tolist(), "action_space": repr(env.action_space)}), flush=True)
    for a in [int(x) for x in args.actions.split(",") if x]:
        obs, reward, terminated, truncated, _ = env.step(a)
        print(json.dumps({"obs": np.asarray(obs).tolist(), "reward": reward, "terminated": terminated, "truncated": truncated}), flush=True)
        if terminated or truncated:
            break
    env.close()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
