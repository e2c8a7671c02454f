package io.vigil.testing.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresServerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://postgres@127.0.0.1:5432 | 127.0.0.1 | 5432 | postgres | ''",
            "postgres://vigil:s3cret@db.internal:6543 | db.internal | 6543 | vigil | s3cret",
            "postgresql://db | db | 5432 | postgres | ''",
            "postgresql://u:p:q@h:1 | h | 1 | u | p:q",
    })
    void shouldParseTheVigilPgUrlForms(String url, String host, int port, String user, String password) {
        assertEquals(new PostgresServer(host, port, user, password), PostgresServer.parse(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mysql://root@h:3306 | must look like postgresql://",
            "jdbc:postgresql://h:5432/db | must look like postgresql://",
            "postgresql:///nohost | has no host",
            "postgresql://h o s t | not a URL",
    })
    void shouldRejectWhatIsNotAPostgresqlUrl(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostgresServer.parse(url));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldNeverPrintThePassword() {
        PostgresServer server = PostgresServer.parse("postgresql://vigil:s3cret@h:1");
        assertFalse(server.toString().contains("s3cret"));
        assertEquals("postgresql://vigil@h:1", server.toString());
    }

    @Test
    void shouldBuildJdbcAndReactiveUrls() {
        PostgresServer server = new PostgresServer("h", 7, "u", "");
        assertEquals("jdbc:postgresql://h:7/db", server.jdbcUrl("db"));
        assertEquals("postgresql://h:7/db", server.reactiveUrl("db"));
    }

    @Test
    void shouldReportAServerThatDoesNotAnswer() {
        // Port 1 on loopback: nothing listens there.
        assertFalse(new PostgresServer("127.0.0.1", 1, "postgres", "").answers());
    }
}
