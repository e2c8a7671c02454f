package io.vigil.incident.communication;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Writes incidents straight into the {@code incident} table, as the incident core would, so communication tests do
 * not depend on how incidents get opened.
 */
public final class TestIncidents {

    private TestIncidents() {
    }

    public static UUID open(String title, String severity, Instant openedAt, String components, double low,
            double high, double money, double share) {
        UUID id = UUID.randomUUID();
        execute("""
                INSERT INTO incident (id, title, state, severity, grouping_key, opened_at, last_event_at, components,
                                      excess_harmed_low, excess_harmed_high, money_at_stake, checkout_share,
                                      metric, cohort, rollout_id, opened_by, computed_severity)
                VALUES (?, ?, 'INVESTIGATING', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'INCORRECT_APPROVAL_RATE',
                        'country=CA & age=18-24', 'r-42', 'test', ?)
                """, id, title, severity, "test:" + id, Timestamp.from(openedAt), Timestamp.from(openedAt),
                components, low, high, money, share, severity);
        return id;
    }

    public static void set(UUID id, String column, Object value) {
        if (!column.matches("[a-z_]+")) {
            throw new IllegalArgumentException(column);
        }
        execute("UPDATE incident SET " + column + " = ? WHERE id = ?",
                value instanceof Instant i ? Timestamp.from(i) : value, id);
    }

    /** The rows a query returns, each as column name to value (JDBC types). */
    public static List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int k = 1; k <= r.getMetaData().getColumnCount(); k++) {
                        row.put(r.getMetaData().getColumnLabel(k), r.getObject(k));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties props = new Properties();
        props.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), props);
    }

    public static void execute(String sql, Object... args) {
        var config = ConfigProvider.getConfig();
        Properties props = new Properties();
        props.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                props); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
