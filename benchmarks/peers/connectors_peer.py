#!/usr/bin/env python3
"""Python peer for benchmarks/connectors.sh: remote CartPole stepping over loopback TCP with the pure-Python
implementation of the rlplat protocol (Connectors/python/rlplat_remote.py), printing one JSON line.

    connectors_peer.py py-server CLIENTS SECONDS         Python clients -> Python server (the peer stack)
    connectors_peer.py cs-server PORT CLIENTS SECONDS    Python clients -> an rlplat server already listening on PORT
"""
import json
import multiprocessing as mp
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Connectors", "python"))
import rlplat_remote as rr  # noqa: E402


def client(port, env_id, seconds, seed, out):
    env = rr.RemoteEnvClient("127.0.0.1", port, env_id)
    env.reset(seed=seed)
    latencies, steps, i = [], 0, 0
    deadline = time.perf_counter() + seconds
    while True:
        t0 = time.perf_counter()
        if t0 >= deadline:
            break
        _, _, terminated, truncated, _ = env.step(i % 2)
        latencies.append(time.perf_counter() - t0)
        steps += 1
        i += 1
        if terminated or truncated:
            env.reset()
    env.close()
    out.put(latencies)


def run(port, env_id, clients, seconds):
    out = mp.Queue()
    procs = [mp.Process(target=client, args=(port, env_id, seconds, k, out)) for k in range(clients)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    lat = []
    for _ in procs:
        lat.extend(out.get())
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1e6
    # throughput over the clients' measuring window (process start-up excluded)
    print(json.dumps({"steps_per_s": len(lat) / seconds, "p50_us": pct(0.50), "p95_us": pct(0.95), "p99_us": pct(0.99), "elapsed_s": elapsed}), flush=True)


def main(argv):
    if argv[0] == "py-server":
        clients, seconds = int(argv[1]), float(argv[2])
        server = rr.RemoteEnvServer(lambda env_id, kwargs: rr.CartPole(), port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        run(server.port, "CartPole-py", clients, seconds)
        server.shutdown()
    elif argv[0] == "cs-server":
        run(int(argv[1]), "CartPole-v1", int(argv[2]), float(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
