package io.linehub.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** A thread-safe, lock-free log that keeps the newest {@code max} entries (oldest dropped first). */
final class BoundedLog<T> {

    private final ConcurrentLinkedDeque<T> entries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int max;

    BoundedLog(int max) {
        this.max = max;
    }

    void add(T entry) {
        entries.addLast(entry);
        if (size.incrementAndGet() > max) {
            while (size.get() > max && entries.pollFirst() != null) {
                size.decrementAndGet();
            }
        }
    }

    /** Copy, oldest first. */
    List<T> snapshot() {
        return new ArrayList<>(entries);
    }

    void clear() {
        T e;
        while ((e = entries.pollFirst()) != null) {
            size.decrementAndGet();
        }
    }
}
