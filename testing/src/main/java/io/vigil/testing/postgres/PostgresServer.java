package io.vigil.testing.postgres;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a PostgreSQL server answers, and as whom to connect. Parsed from {@code postgresql://user[:password]@host:port}
 * (the form of {@code VIGIL_PG_URL}).
 */
public record PostgresServer(String host, int port, String user, String password) {

    public static PostgresServer parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("VIGIL_PG_URL is not a URL: " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("VIGIL_PG_URL must look like postgresql://user[:password]@host:port, got scheme "
                    + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("VIGIL_PG_URL has no host: postgresql://user[:password]@host:port");
        }
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        return new PostgresServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The Vert.x reactive client's form of the same URL. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** True when the server accepts a connection and answers a query within a few seconds. */
    public boolean answers() {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        // Never print the password.
        return "postgresql://" + user + "@" + host + ":" + port;
    }
}
