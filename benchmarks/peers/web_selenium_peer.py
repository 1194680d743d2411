#!/usr/bin/env python3
"""Peer for benchmarks/web.sh: the usual Python way to drive a browser game, Selenium WebDriver (chromedriver)
calling the page's JavaScript. It loads the same game.js into headless Chromium and steps Catch with execute_script,
one round trip per step, and prints one JSON line: steps_per_s, p50_us, p95_us, p99_us.

Usage: web_selenium_peer.py GAME_JS CHROMIUM SECONDS
"""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main():
    game_js, chromium, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get("about:blank")
        driver.execute_script(open(game_js, encoding="utf-8").read())
        driver.execute_script("window.g = new CatchGame(10); g.reset(0);")
        step = "const r = g.step(arguments[0]); const done = g.over; if (done) g.reset(null); return [Array.from(g.state()), r, done];"
        for i in range(300):  # warm up, as the C# side does
            driver.execute_script(step, i % 3)
        latencies = []
        end = time.perf_counter() + seconds
        i = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                break
            driver.execute_script(step, i % 3)
            latencies.append(time.perf_counter() - t0)
            i += 1
        latencies.sort()
        q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1e6
        print(json.dumps({"steps_per_s": len(latencies) / seconds, "p50_us": q(0.5), "p95_us": q(0.95), "p99_us": q(0.99)}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
