package io.vigil.guardrail.monitor.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.monitor.MonitorBaseline;
import io.vigil.guardrail.monitor.MonitorDetection;
import io.vigil.guardrail.monitor.MonitorState;
import io.vigil.guardrail.monitor.MonitorStatus;
import io.vigil.guardrail.monitor.counting.MonitorCount;
import io.vigil.guardrail.monitor.counting.MonitorCountSink;
import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * The monitors' tables (V6__cohort_monitors.sql) over plain JDBC: the stream thread writes counts (blocking is fine
 * there, never on an event loop) and the evaluator runs on its own thread.
 */
@ApplicationScoped
public class MonitorStore implements MonitorCountSink {

    /** One evaluation at a time across replicas ("monitor_round" as a number); a transaction-scoped lock. */
    static final long ROUND_LOCK = 6_617_736_865L;

    private final DataSource dataSource;

    MonitorStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void write(List<MonitorCount> counts, int partition, long streamTimeMillis) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO monitor_count (monitor_id, granularity, bucket_start, source_partition, exposure, events)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (granularity, bucket_start, monitor_id, source_partition)
                    DO UPDATE SET exposure = excluded.exposure, events = excluded.events
                    """); PreparedStatement wm = c.prepareStatement("""
                    INSERT INTO monitor_watermark (source_partition, stream_time, updated_at) VALUES (?, ?, now())
                    ON CONFLICT (source_partition) DO UPDATE
                    SET stream_time = greatest(monitor_watermark.stream_time, excluded.stream_time), updated_at = now()
                    """)) {
                for (MonitorCount m : counts) {
                    up.setString(1, m.monitorId());
                    up.setString(2, m.granularity().name());
                    up.setTimestamp(3, new Timestamp(m.bucketStartMillis()));
                    up.setInt(4, m.partition());
                    up.setLong(5, m.exposure());
                    up.setLong(6, m.events());
                    up.addBatch();
                }
                up.executeBatch();
                if (streamTimeMillis >= 0) {
                    wm.setInt(1, partition);
                    wm.setTimestamp(2, new Timestamp(streamTimeMillis));
                    wm.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Each source partition's counted stream time. */
    public Map<Integer, Instant> watermarks(Connection c) throws SQLException {
        Map<Integer, Instant> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT source_partition, stream_time FROM monitor_watermark");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getTimestamp(2).toInstant());
            }
        }
        return out;
    }

    /** Minute counts from {@code fromMinute} on, summed over partitions: monitor -> minute -> {exposure, events}. */
    public Map<String, NavigableMap<Long, long[]>> minuteCounts(Connection c, long fromMinute) throws SQLException {
        Map<String, NavigableMap<Long, long[]>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT monitor_id, bucket_start, sum(exposure), sum(events) FROM monitor_count
                WHERE granularity = 'MINUTE' AND bucket_start >= ? GROUP BY monitor_id, bucket_start
                """)) {
            s.setTimestamp(1, new Timestamp(fromMinute * 60_000L));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(
                            rs.getTimestamp(2).getTime() / 60_000L, new long[] {rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    /** The given hours' counts, summed over partitions: monitor -> hour -> {exposure, events}. */
    public Map<String, Map<Long, long[]>> hourCounts(Connection c, Collection<Long> hours) throws SQLException {
        Map<String, Map<Long, long[]>> out = new HashMap<>();
        if (hours.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT monitor_id, bucket_start, sum(exposure), sum(events) FROM monitor_count
                WHERE granularity = 'HOUR' AND bucket_start = ANY (?) GROUP BY monitor_id, bucket_start
                """)) {
            Timestamp[] ts = hours.stream().map(h -> new Timestamp(h * 3_600_000L)).toArray(Timestamp[]::new);
            s.setArray(1, c.createArrayOf("timestamptz", ts));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(
                            rs.getTimestamp(2).getTime() / 3_600_000L, new long[] {rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    /** Hour counts of one monitor over a range (the chart): hour -> {exposure, events}. */
    public NavigableMap<Long, long[]> hourSeries(String monitorId, long fromHour, long toHour) throws SQLException {
        NavigableMap<Long, long[]> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT bucket_start, sum(exposure), sum(events) FROM monitor_count
                WHERE granularity = 'HOUR' AND monitor_id = ? AND bucket_start >= ? AND bucket_start <= ?
                GROUP BY bucket_start
                """)) {
            s.setString(1, monitorId);
            s.setTimestamp(2, new Timestamp(fromHour * 3_600_000L));
            s.setTimestamp(3, new Timestamp(toHour * 3_600_000L));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getTimestamp(1).getTime() / 3_600_000L, new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return out;
    }

    public Map<String, MonitorStatus> states() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return states(c);
        }
    }

    public Map<String, MonitorStatus> states(Connection c) throws SQLException {
        Map<String, MonitorStatus> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT monitor_id, state, log_r, restarts, log_statistic, evaluated_through, alarm_since,
                       hour_exposure, hour_bad_events, baseline, baseline_source, baseline_weeks,
                       baseline_estimate
                FROM monitor_state
                """); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Double[] logR = (Double[]) rs.getArray(3).getArray();
                double[] r = new double[logR.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = logR[i];
                }
                Timestamp since = rs.getTimestamp(7);
                MonitorDetection.Snapshot snap = new MonitorDetection.Snapshot(
                        new RateIncreaseDetector.State(r, rs.getLong(4)), MonitorState.valueOf(rs.getString(2)),
                        since == null ? -1 : since.getTime() / 60_000L);
                double baseline = rs.getDouble(10);
                boolean known = !rs.wasNull();
                MonitorBaseline.Source source = MonitorBaseline.Source.valueOf(rs.getString(11));
                MonitorBaseline b = known && source != MonitorBaseline.Source.NONE
                        ? new MonitorBaseline(rs.getDouble(13), baseline, source, rs.getInt(12), 0)
                        : MonitorBaseline.NONE;
                out.put(rs.getString(1), new MonitorStatus(rs.getString(1), snap,
                        rs.getTimestamp(6).getTime() / 60_000L, rs.getLong(8), rs.getLong(9), b, rs.getDouble(5)));
            }
        }
        return out;
    }

    /** Alarms and recoveries of a monitor since a time: (epoch minute, kind). */
    public List<Map.Entry<Long, String>> alarms(String monitorId, Instant since) throws SQLException {
        List<Map.Entry<Long, String>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT at, kind FROM monitor_alarm WHERE monitor_id = ? AND at >= ? ORDER BY at")) {
            s.setString(1, monitorId);
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(Map.entry(rs.getTimestamp(1).getTime() / 60_000L, rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** Takes the round's lock for the transaction on {@code c}; false when another instance holds it. */
    public boolean tryLockRound(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, ROUND_LOCK);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Writes the round's states, its verdicts into the outbox (kind VERDICT) and the alarm record, in c's transaction. */
    public void save(Connection c, Map<String, String[]> cohortAndMetric, List<MonitorStatus> states,
            List<VerdictIssued> verdicts, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO monitor_state (monitor_id, cohort, metric, state, log_r, restarts, log_statistic,
                    evaluated_through, alarm_since, hour_exposure, hour_bad_events, baseline, baseline_source,
                    baseline_weeks, updated_at, baseline_estimate)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (monitor_id) DO UPDATE SET state = excluded.state, log_r = excluded.log_r,
                    restarts = excluded.restarts, log_statistic = excluded.log_statistic,
                    evaluated_through = excluded.evaluated_through, alarm_since = excluded.alarm_since,
                    hour_exposure = excluded.hour_exposure, hour_bad_events = excluded.hour_bad_events,
                    baseline = excluded.baseline, baseline_source = excluded.baseline_source,
                    baseline_weeks = excluded.baseline_weeks, updated_at = excluded.updated_at,
                    baseline_estimate = excluded.baseline_estimate
                """)) {
            for (MonitorStatus m : states) {
                String[] cm = cohortAndMetric.get(m.monitorId());
                double[] r = m.snapshot().detector().logR();
                Double[] boxed = new Double[r.length];
                for (int i = 0; i < r.length; i++) {
                    boxed[i] = r[i];
                }
                Array arr = c.createArrayOf("float8", boxed);
                s.setString(1, m.monitorId());
                s.setString(2, cm[0]);
                s.setString(3, cm[1]);
                s.setString(4, m.state().name());
                s.setArray(5, arr);
                s.setLong(6, m.snapshot().detector().restarts());
                s.setDouble(7, finite(m.logStatistic()));
                s.setTimestamp(8, new Timestamp(m.evaluatedThroughMinute() * 60_000L));
                s.setTimestamp(9, m.snapshot().alarmSinceMinute() < 0 ? null
                        : new Timestamp(m.snapshot().alarmSinceMinute() * 60_000L));
                s.setLong(10, m.hourExposure());
                s.setLong(11, m.hourBadEvents());
                if (m.baseline().known()) {
                    s.setDouble(12, m.baseline().rate());
                } else {
                    s.setNull(12, java.sql.Types.DOUBLE);
                }
                s.setString(13, m.baseline().source().name());
                s.setInt(14, m.baseline().weeks());
                s.setTimestamp(15, Timestamp.from(now));
                if (m.baseline().known()) {
                    s.setDouble(16, m.baseline().estimate());
                } else {
                    s.setNull(16, java.sql.Types.DOUBLE);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement out = c.prepareStatement("""
                INSERT INTO rollout_outbox (id, kind, event_key, payload, occurred_at, status, attempts,
                    next_attempt_at, created_at)
                VALUES (?, 'VERDICT', ?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT (id) DO NOTHING
                """); PreparedStatement alarm = c.prepareStatement("""
                INSERT INTO monitor_alarm (verdict_id, monitor_id, kind, at, reason) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (verdict_id) DO NOTHING
                """)) {
            for (VerdictIssued v : verdicts) {
                UUID id = UUID.fromString(v.getVerdictId());
                Timestamp at = Timestamp.from(ProtoTime.toInstant(v.getEvaluatedAt()));
                out.setObject(1, id);
                out.setString(2, v.getMonitorId());
                out.setBytes(3, v.toByteArray());
                out.setTimestamp(4, at);
                out.setTimestamp(5, Timestamp.from(now));
                out.setTimestamp(6, Timestamp.from(now));
                out.addBatch();
                alarm.setObject(1, id);
                alarm.setString(2, v.getMonitorId());
                alarm.setString(3, v.getKind().name().substring("VERDICT_KIND_".length()));
                alarm.setTimestamp(4, at);
                alarm.setString(5, v.getReason());
                alarm.addBatch();
            }
            out.executeBatch();
            alarm.executeBatch();
        }
    }

    /** Drops minute counts older than {@code minuteCut} and hour counts older than {@code hourCut}. */
    public void prune(Connection c, Instant minuteCut, Instant hourCut) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM monitor_count WHERE (granularity = 'MINUTE' AND bucket_start < ?)
                                             OR (granularity = 'HOUR' AND bucket_start < ?)
                """)) {
            s.setTimestamp(1, Timestamp.from(minuteCut));
            s.setTimestamp(2, Timestamp.from(hourCut));
            s.executeUpdate();
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    private static double finite(double v) {
        return v == Double.NEGATIVE_INFINITY ? -1e300 : v;
    }
}
