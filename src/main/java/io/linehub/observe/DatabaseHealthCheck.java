package io.linehub.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /observe/health}: the hub's database answers a validity check within {@code timeout}, else DOWN with the
 * reason. The check runs on a thread of its own: a pool waiting for a connection to a database that is gone (up to its
 * connection timeout) does not hold the health request; while one check still waits, the next reports DOWN at once.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource db;
    private final Duration timeout;
    private final ExecutorService executor;
    private volatile CompletableFuture<Void> running;

    public DatabaseHealthCheck(DataSource db, Duration timeout, ExecutorService executor) {
        super("hub", "database");
        this.db = db;
        this.timeout = timeout;
        this.executor = executor;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CompletableFuture<Void> check;
        synchronized (this) {
            if (running != null && !running.isDone()) {
                builder.down().message("database: the previous check is still waiting for an answer");
                return;
            }
            check = CompletableFuture.runAsync(this::probe, executor);
            running = check;
        }
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            builder.up().message("database: answering");
        } catch (TimeoutException e) {
            builder.down().message("database: no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            builder.down().message("database: " + cause.getMessage()).error(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down().message("database: check interrupted");
        }
    }

    private void probe() {
        try (Connection c = db.getConnection()) {
            if (!c.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new IllegalStateException("the connection is not valid");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
