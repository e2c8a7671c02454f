package io.vigil.testing.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.PostgresServer;

/** Against a real PostgreSQL, found the way ./bin/vigil finds it. */
class StackToolTest {

    private static PostgresLocator.Located postgres;

    @BeforeAll
    static void locate() throws Exception {
        postgres = PostgresLocator.locate(System.getenv(), null, KafkaBroker.freePort());
    }

    @AfterAll
    static void close() throws Exception {
        postgres.close();
    }

    @Test
    void shouldCreateDatabasesOnceAndLeaveExistingOnesAlone() throws Exception {
        PostgresServer server = postgres.server();
        String name = "vigil_stacktool_" + Long.toString(System.nanoTime(), 36);
        try {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            StackTool.createDatabases(server, List.of(name), new PrintStream(first, true, StandardCharsets.UTF_8));
            assertEquals("created database " + name, first.toString(StandardCharsets.UTF_8).trim());

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            StackTool.createDatabases(server, List.of(name), new PrintStream(second, true, StandardCharsets.UTF_8));
            assertEquals("", second.toString(StandardCharsets.UTF_8));
            assertEquals(1, countDatabases(server, name));
        } finally {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    @Test
    void shouldRefuseANameThatCouldInjectSql() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackTool
                .createDatabases(postgres.server(), List.of("x; DROP DATABASE postgres"), new PrintStream(
                        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("not a safe database name"), e.getMessage());
    }

    @Test
    void shouldExitTwoOnAnUnknownCommandAndSayWhich() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StackTool.run(new String[] {"frobnicate"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("StackTool: unknown command 'frobnicate'", err.toString(StandardCharsets.UTF_8).trim());
    }

    private static int countDatabases(PostgresServer server, String name) throws Exception {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
