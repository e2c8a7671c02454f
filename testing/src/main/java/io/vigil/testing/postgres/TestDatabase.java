package io.vigil.testing.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** A database created fresh for one test run, dropped when closed, so runs never see each other's rows. */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;

    private TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public static TestDatabase create(PostgresServer server, String prefix) {
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_t"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"))
                + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + server + ": " + e.getMessage(), e);
        }
        return new TestDatabase(server, name);
    }

    public String name() {
        return name;
    }

    public PostgresServer server() {
        return server;
    }

    @Override
    public void close() {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException ignored) {
            // A leftover test database costs disk, not correctness; its name says which run left it.
        }
    }
}
