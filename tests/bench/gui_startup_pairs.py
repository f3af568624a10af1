#!/usr/bin/env python3
# Paired cold starts to the sign-in page of two softphone builds (A/B), one
# after the other in each pair, the order alternating: on a loaded machine the
# spread of a single start is far larger than a small change, and pairs taken
# within the same second cancel most of it. Each start gets a fresh HOME; the
# figures are the wall time from launch to the {"event":"ready"} line, that
# line's own "ms" (since SoftphoneApp was made) and the process's CPU time
# (utime+stime) at that moment. Figures only, never a test.
# Usage (inside tests/desktop-session): gui_startup_pairs.py A_SOFTPHONE B_SOFTPHONE [PAIRS (default 40)]
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

bins = {'A': sys.argv[1], 'B': sys.argv[2]}
pairs_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 40
wall = {k: [] for k in bins}
cpu = {k: [] for k in bins}
inner = {k: [] for k in bins}
diffs = []
tick = os.sysconf('SC_CLK_TCK')


def start_once(binary):
    with tempfile.TemporaryDirectory() as home:
        os.makedirs(home + '/run', mode=0o700)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + '/config',
                   XDG_DATA_HOME=home + '/data', XDG_RUNTIME_DIR=home + '/run')
        t0 = time.monotonic()
        p = subprocess.Popen([binary, '--report-startup'], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
        killer = subprocess.Popen(['sh', '-c', 'sleep 20; kill -9 %d 2>/dev/null' % p.pid])
        line = p.stdout.readline()  # the ready line; EOF if it died (or was killed after 20 s)
        ms = (time.monotonic() - t0) * 1000
        try:
            stat = open('/proc/%d/stat' % p.pid).read().rsplit(')', 1)[1].split()
            cpu_ms = (int(stat[11]) + int(stat[12])) * 1000 / tick
        except (OSError, IndexError, ValueError):
            cpu_ms = -1
        p.kill()
        p.wait(timeout=10)
        killer.kill()
        killer.wait(timeout=10)
        if b'"ready"' not in line:
            return None
        return ms, cpu_ms, json.loads(line)['ms']


for i in range(pairs_wanted):
    got = {}
    for k in (['A', 'B'] if i % 2 == 0 else ['B', 'A']):
        r = start_once(bins[k])
        if r:
            wall[k].append(r[0])
            cpu[k].append(r[1])
            inner[k].append(r[2])
            got[k] = r[0]
    if len(got) == 2:
        diffs.append(got['B'] - got['A'])


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0


for k in bins:
    print('%s runs %d  wall p50 %.1f p95 %.1f ms  ready-line ms p50 %d p95 %d  cpu mean %.1f ms  (%s)'
          % (k, len(wall[k]), pct(wall[k], .5), pct(wall[k], .95), pct(inner[k], .5),
             pct(inner[k], .95), statistics.mean(cpu[k]) if cpu[k] else 0, bins[k]))
if diffs:
    print('B - A wall, paired: median %.1f ms, mean %.1f ms over %d pairs'
          % (statistics.median(diffs), statistics.mean(diffs), len(diffs)))
