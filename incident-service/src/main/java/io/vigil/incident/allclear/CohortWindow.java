package io.vigil.incident.allclear;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A closed event-time window of one cohort's metric, as guardrail-service last published it (highest revision). */
@Entity
@Table(name = "cohort_window")
public class CohortWindow extends PanacheEntityBase {

    @Id
    public String id;

    public String metric;

    public String cohort;

    @Column(name = "window_start")
    public Instant windowStart;

    @Column(name = "window_end")
    public Instant windowEnd;

    public long numerator;

    public long denominator;

    public long decisions;

    @Column(name = "baseline_rate")
    public double baselineRate;

    public int revision;

    @Version
    public long version;

    public static String idOf(String metric, String cohort, Instant windowStart) {
        return metric + "|" + cohort + "|" + windowStart;
    }

    public double rate() {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
