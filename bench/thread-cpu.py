#!/usr/bin/env python3
"""CPU seconds per JVM thread of one command, e.g. a whole study (issue 14: where a study's CPU goes).

    python3 bench/thread-cpu.py -- ./gradtune run configs/bench-space.yaml --output /tmp/thread-cpu

Runs the command and, every 0.5 s until it exits, reads utime + stime of every thread of every `java` process
started by the command (its descendants) from /proc/PID/task/TID/stat. Threads are grouped by name with
digits replaced by '#' (Linux keeps the first 15 characters of a thread's name: "Executor task l" are Spark's task
threads, i.e. the trials in local mode; "C# CompilerThre" the JIT; "GC Thread##" the collector). A thread's CPU is
its last reading, so up to 0.5 s of a thread that ends is missed. The command's output goes to thread-cpu.out in
the current directory.
"""
import collections
import os
import re
import subprocess
import sys
import time


def java_pids(root):
    """The `java` processes among root and its descendants."""
    parent, argv0 = {}, {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    stat = f.read()
                with open('/proc/%s/cmdline' % d, 'rb') as f:
                    argv0[d] = os.path.basename(f.read().split(b'\x00')[0])
                parent[d] = stat[stat.rindex(')') + 2:].split()[1]
            except (OSError, ValueError, IndexError):
                pass
    pids = []
    for d in parent:
        p, seen = d, 0
        while p in parent and p != root and seen < 64:
            p, seen = parent[p], seen + 1
        if p == root and argv0.get(d) == b'java':
            pids.append(d)
    return pids


def main():
    if '--' not in sys.argv or sys.argv.index('--') == len(sys.argv) - 1:
        sys.exit('usage: bench/thread-cpu.py -- COMMAND [ARGS...]')
    cmd = sys.argv[sys.argv.index('--') + 1:]
    hz = os.sysconf('SC_CLK_TCK')
    last = {}
    with open('thread-cpu.out', 'w') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        while proc.poll() is None:
            for pid in java_pids(str(proc.pid)):
                try:
                    tids = os.listdir('/proc/%s/task' % pid)
                except OSError:
                    continue
                for tid in tids:
                    try:
                        with open('/proc/%s/task/%s/stat' % (pid, tid)) as f:
                            s = f.read()
                    except OSError:
                        continue
                    name = s[s.index('(') + 1:s.rindex(')')]
                    fields = s[s.rindex(')') + 2:].split()
                    last[(pid, tid)] = (name, (int(fields[11]) + int(fields[12])) / hz)
            time.sleep(0.5)
    by_name = collections.Counter()
    for name, cpu in last.values():
        by_name[re.sub(r'\d+', '#', name)] += cpu
    total = sum(by_name.values())
    print('exit %d, JVM thread CPU %.1f s' % (proc.returncode, total))
    for name, cpu in by_name.most_common(30):
        print('%8.1f s %5.1f %%  %s' % (cpu, 100 * cpu / total if total else 0, name))


if __name__ == '__main__':
    main()
