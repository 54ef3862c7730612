#!/usr/bin/env python3
"""Where the hub's CPU went, from a flight recording (bench/delivery.sh with BENCH_JFR=file.jfr, or bench/file-intake.sh
with HUB_BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=file.jfr,settings=profile).

Usage: bench/jfr-summary.py file.jfr [top]

Reads the recording's execution samples (jdk.ExecutionSample: Java threads running Java code; GC, the JIT and
native I/O waits are not among them) through the JDK's `jfr print`, and prints the share of samples
  * by activity: the hub step on the stack nearest its top (the webhook path, recording outcomes, claims, the line:
    client, the throttle…), else the library running (JDBC, JSON, HTTP, Vert.x, Camel's routing, logging…);
  * by thread (names without their number);
  * by top frame (the method that was running: "self" time);
and then the time the hub's own steps spent waiting (not on a CPU): socket reads (PostgreSQL, LINE) and parks (locks,
futures) that the recording kept (settings=profile keeps those of 10 ms or more), summed by the hub step on the stack
— e.g. how long the webhook requests waited for their transaction. Waits of idle pool threads (no hub step on the
stack) are left out.
"""
import collections
import re
import subprocess
import sys

# first match from the top of the stack wins; order: specific hub steps before generic libraries
ACTIVITIES = [
    ("webhook: LineWebhook (verify, parse, sort)", ("io.linehub.line.LineWebhook", "io.linehub.line.LineSignature")),
    ("webhook: DeliveryReceipts.append (journal, on the request's path)", ("io.linehub.outbox.DeliveryReceipts.append", "io.linehub.outbox.DeliveryReceipts.received")),
    ("webhook: DeliveryReceipts fold / record, WebhookEventIds (the transaction that marks DELIVERED)", ("io.linehub.outbox.DeliveryReceipts", "io.linehub.outbox.WebhookEventIds")),
    ("Camel idempotentConsumer / split (per webhook event; per inbox chunk)", ("org.apache.camel.processor.idempotent", "org.apache.camel.processor.MulticastProcessor")),
    ("outcomes: OutcomeWriter / OutcomeStore (group commit)", ("io.linehub.outbox.OutcomeStore", "io.linehub.outbox.OutcomeWriter", "io.linehub.outbox.RecordOutcome")),
    ("claims: Dispatcher / Claims", ("io.linehub.outbox.Claims", "io.linehub.outbox.Dispatcher")),
    ("delivery steps: PrepareDelivery, LeaseStillHeld, RateBudgets, InFlight", ("io.linehub.outbox.PrepareDelivery", "io.linehub.outbox.LeaseStillHeld", "io.linehub.outbox.RateBudgets", "io.linehub.outbox.InFlight")),
    ("throttle + waiting room", ("io.linehub.outbox.ThrottleWaitingRoom", "org.apache.camel.processor.Throttler", "org.apache.camel.processor.ConcurrentRequestsThrottler")),
    ("line: client (LineProducer, LineClient)", ("io.linehub.line.",)),
    # file intake (bench/file-intake.sh): the store, then the row side's steps
    ("intake store: NotificationQueue.enqueueAll and the outbox's writes", ("io.linehub.outbox.", "io.linehub.db.")),
    ("intake rows: phone numbers (libphonenumber, hash)", ("io.linehub.phone.",)),
    ("intake rows: template validate / render", ("io.linehub.template.",)),
    ("intake rows: reading the file (CSV / NDJSON / mapped)", ("io.linehub.rows.", "io.linehub.mapping.")),
    ("intake rows: chunk steps (parse, facts, routes asked, schedule, metrics)", ("io.linehub.intake.", "io.linehub.customer.")),
    ("inbox: checkpoints, report lines, progress", ("io.linehub.inbox.",)),
    ("logging", ("ch.qos.logback", "org.slf4j")),
    ("JDBC (PostgreSQL driver, HikariCP)", ("org.postgresql", "com.zaxxer.hikari")),
    ("JSON (Jackson)", ("com.fasterxml.jackson",)),
    ("HTTP server (platform-http)", ("org.apache.camel.component.platform.http", "io.vertx.core.http.impl.Http1xServer", "io.vertx.ext.web")),
    ("Vert.x / Netty I/O", ("io.vertx", "io.netty")),
    ("Camel routing (other)", ("org.apache.camel",)),
    ("JDK (other)", ("java.", "jdk.", "sun.")),
]


SPECIFIC = ACTIVITIES[:15]   # the hub's own steps (and Camel's per-event webhook EIPs): searched over the whole stack
GENERIC = ACTIVITIES[15:]    # libraries: only when no hub step is on the stack, from the top


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


def specific_activity(frames):
    """The hub step on the stack nearest its top, or None."""
    for frame in frames:
        for name, prefixes in SPECIFIC:
            if frame.startswith(prefixes):
                return name
    return None


UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}


def waits(path):
    """(event type, thread, duration in s, frames) of the recording's socket reads and thread parks."""
    out = subprocess.Popen(["jfr", "print", "--events", "jdk.SocketRead,jdk.ThreadPark", "--stack-depth", "64", path],
                           stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    kind, thread, seconds, frames, in_stack = None, None, 0.0, [], False
    for line in out.stdout:
        line = line.strip()
        if line.startswith(("jdk.SocketRead", "jdk.ThreadPark")) and line.endswith("{"):
            kind, thread, seconds, frames, in_stack = line.split()[0], None, 0.0, [], False
        elif line.startswith("duration = "):
            m = re.match(r"duration = ([0-9.,]+) (\w+)", line)
            if m:
                seconds = float(m.group(1).replace(",", "")) * UNITS.get(m.group(2), 0.0)
        elif line.startswith("eventThread = "):
            m = re.match(r'eventThread = "(.*)" \(', line)
            thread = m.group(1) if m else line
        elif line.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and line == "]":
            in_stack = False
        elif in_stack and line and line != "...":
            frames.append(line.split("  line:")[0].split(" line:")[0])
        elif line == "}" and kind is not None:
            yield kind, thread, seconds, frames
            kind = None
    out.wait()


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
    waited, count = collections.Counter(), collections.Counter()
    for kind, thread, seconds, frames in waits(path):
        step = specific_activity(frames)
        if step is None:
            continue
        what = "socket read" if kind == "jdk.SocketRead" else "park"
        waited[(step, what)] += seconds
        count[(step, what)] += 1
    print("\nwaiting (socket reads and parks of 10 ms or more with a hub step on the stack; seconds summed over threads):")
    for (step, what), seconds in waited.most_common(12):
        n = count[(step, what)]
        print(f"  {seconds:8.1f} s  {n:6d} x {what:11s} (mean {1000.0 * seconds / n:6.1f} ms)  {step}")


if __name__ == "__main__":
    main()
