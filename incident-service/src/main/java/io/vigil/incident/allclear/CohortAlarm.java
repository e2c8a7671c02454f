package io.vigil.incident.allclear;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Whether a cohort monitor is alarming now (the adjacent-cohort check of the all-clear reads these). */
@Entity
@Table(name = "cohort_alarm")
public class CohortAlarm extends PanacheEntityBase {

    @Id
    public String id;

    public String metric;

    public String cohort;

    public String source;

    public boolean active;

    /** Event time of the last change; an older event never overwrites a newer state. */
    @Column(name = "changed_at")
    public Instant changedAt;

    @Version
    public long version;

    public static String idOf(String source, String metric, String cohort) {
        return source + "|" + metric + "|" + cohort;
    }
}
