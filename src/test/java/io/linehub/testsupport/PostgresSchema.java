package io.linehub.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own on the PostgreSQL every development and CI machine runs (HUB_TEST_PG_URL, default the local
 * "test" database): migrated with a pool ({@link #create}), or empty for hubs that migrate it themselves
 * ({@link #empty}); {@link #close} closes the pool and drops the schema.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");

    private final String name = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final HikariDataSource db;

    private PostgresSchema(String poolName) throws Exception {
        execute("CREATE SCHEMA " + name);
        if (poolName == null) {
            db = null;
        } else {
            db = Database.open(poolName, url(), PG_USER, null, 4);
            Database.migrate(db);
        }
    }

    /** A new schema, migrated, with a pool of four connections named {@code poolName}. */
    public static PostgresSchema create(String poolName) throws Exception {
        return new PostgresSchema(poolName);
    }

    /** A new empty schema and no pool: for hubs started on {@link #url()}, which migrate it themselves. */
    public static PostgresSchema empty() throws Exception {
        return new PostgresSchema(null);
    }

    /** The JDBC URL of the schema (HUB_TEST_PG_URL with {@code currentSchema}). */
    public String url() {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public String name() {
        return name;
    }

    public HikariDataSource db() {
        if (db == null) {
            throw new IllegalStateException("an empty schema has no pool: connect to url()");
        }
        return db;
    }

    @Override
    public void close() throws Exception {
        if (db != null) {
            db.close();
        }
        execute("DROP SCHEMA " + name + " CASCADE");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
