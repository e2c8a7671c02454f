package io.vigil.testing.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Finds the PostgreSQL a run uses, in the order ./bin/vigil and the tests share: the server at {@code VIGIL_PG_URL}
 * if set; else the one at 127.0.0.1:5432 if it answers; else an embedded PostgreSQL (zonky binaries from Maven
 * Central) started for this run.
 */
public final class PostgresLocator {

    public static final String ENV = "VIGIL_PG_URL";
    static final PostgresServer LOCAL = new PostgresServer("127.0.0.1", 5432, "postgres", "");

    private PostgresLocator() {
    }

    /** A located server; closing it stops the embedded server if one was started, and does nothing otherwise. */
    public record Located(PostgresServer server, String origin, AutoCloseable embedded) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    public static Located locate(Map<String, String> env, Path embeddedDataDir, int embeddedPort) throws IOException {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            PostgresServer server = PostgresServer.parse(configured);
            if (!server.answers()) {
                throw new IllegalStateException(ENV + " points at " + server + ", which does not answer");
            }
            return new Located(server, ENV, null);
        }
        if (LOCAL.answers()) {
            return new Located(LOCAL, "local server", null);
        }
        EmbeddedPostgres embedded = startEmbedded(embeddedDataDir, embeddedPort);
        return new Located(new PostgresServer("127.0.0.1", embedded.getPort(), "postgres", ""), "embedded", embedded);
    }

    /** Starts zonky's embedded PostgreSQL; a null directory means a throwaway one. */
    public static EmbeddedPostgres startEmbedded(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port);
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return builder.start();
    }
}
