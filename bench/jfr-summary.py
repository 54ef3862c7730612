#!/usr/bin/env python3
"""Where the hub's CPU went, from a flight recording (bench/delivery.sh with BENCH_JFR=file.jfr).

Usage: bench/jfr-summary.py file.jfr [top]

Reads the recording's execution samples (jdk.ExecutionSample: Java threads running Java code; GC, the JIT and
native I/O waits are not among them) through the JDK's `jfr print`, and prints the share of samples
  * by activity: the hub step on the stack nearest its top (the webhook path, recording outcomes, claims, the line:
    client, the throttle…), else the library running (JDBC, JSON, HTTP, Vert.x, Camel's routing, logging…);
  * by thread (names without their number);
  * by top frame (the method that was running: "self" time).
"""
import collections
import re
import subprocess
import sys

# first match from the top of the stack wins; order: specific hub steps before generic libraries
ACTIVITIES = [
    ("webhook: LineWebhook (verify, parse, sort)", ("io.linehub.line.LineWebhook", "io.linehub.line.LineSignature")),
    ("webhook: DeliveryReceipts / WebhookEventIds (one transaction a request)", ("io.linehub.outbox.DeliveryReceipts", "io.linehub.outbox.WebhookEventIds")),
    ("webhook: Camel idempotentConsumer / split (per event)", ("org.apache.camel.processor.idempotent", "org.apache.camel.processor.MulticastProcessor")),
    ("outcomes: OutcomeWriter / OutcomeStore (group commit)", ("io.linehub.outbox.OutcomeStore", "io.linehub.outbox.OutcomeWriter", "io.linehub.outbox.RecordOutcome")),
    ("claims: Dispatcher / Claims", ("io.linehub.outbox.Claims", "io.linehub.outbox.Dispatcher")),
    ("delivery steps: PrepareDelivery, LeaseStillHeld, RateBudgets, InFlight", ("io.linehub.outbox.PrepareDelivery", "io.linehub.outbox.LeaseStillHeld", "io.linehub.outbox.RateBudgets", "io.linehub.outbox.InFlight")),
    ("throttle + waiting room", ("io.linehub.outbox.ThrottleWaitingRoom", "org.apache.camel.processor.Throttler", "org.apache.camel.processor.ConcurrentRequestsThrottler")),
    ("line: client (LineProducer, LineClient)", ("io.linehub.line.",)),
    ("logging", ("ch.qos.logback", "org.slf4j")),
    ("JDBC (PostgreSQL driver, HikariCP)", ("org.postgresql", "com.zaxxer.hikari")),
    ("JSON (Jackson)", ("com.fasterxml.jackson",)),
    ("HTTP server (platform-http)", ("org.apache.camel.component.platform.http", "io.vertx.core.http.impl.Http1xServer", "io.vertx.ext.web")),
    ("Vert.x / Netty I/O", ("io.vertx", "io.netty")),
    ("Camel routing (other)", ("org.apache.camel",)),
    ("JDK (other)", ("java.", "jdk.", "sun.")),
]


SPECIFIC = ACTIVITIES[:8]   # the hub's own steps (and Camel's per-event webhook EIPs): searched over the whole stack
GENERIC = ACTIVITIES[8:]    # libraries: only when no hub step is on the stack, from the top


def activity(frames):
    for frame in frames:
        for name, prefixes in SPECIFIC:
            if frame.startswith(prefixes):
                return name
    for frame in frames:
        for name, prefixes in GENERIC:
            if name != "JDK (other)" and frame.startswith(prefixes):
                return name
    return "JDK (other)" if frames and frames[0].startswith(("java.", "jdk.", "sun.")) else "other"


def samples(path):
    out = subprocess.Popen(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                           stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    thread, frames, in_stack = None, [], False
    for line in out.stdout:
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            thread, frames, in_stack = None, [], False
        elif line.startswith("sampledThread = "):
            m = re.match(r'sampledThread = "(.*)" \(', line)
            thread = m.group(1) if m else line
        elif line.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and line == "]":
            in_stack = False
        elif in_stack and line and line != "...":
            frames.append(line.split("  line:")[0].split(" line:")[0])
        elif line == "}" and thread is not None:
            yield thread, frames
            thread = None
    out.wait()


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    by_activity, by_thread, by_top = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for thread, frames in samples(path):
        total += 1
        by_activity[activity(frames)] += 1
        by_thread[re.sub(r"[-#]?\d+$", "", thread)] += 1
        by_top[frames[0] if frames else "?"] += 1
    print(f"{path}: {total} execution samples")
    for title, counter, n in (("by activity", by_activity, 100), ("by thread", by_thread, 12), ("by top frame (self)", by_top, top)):
        print(f"\n{title}:")
        for key, count in counter.most_common(n):
            print(f"  {100.0 * count / max(total, 1):5.1f} %  {key}")


if __name__ == "__main__":
    main()
