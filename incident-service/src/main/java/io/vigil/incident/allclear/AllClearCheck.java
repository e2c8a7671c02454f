package io.vigil.incident.allclear;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vigil.incident.incident.Cohorts;

/**
 * Evaluates all-clear criteria against stored windows. Pure, so every rule is tested with figures worked by hand:
 * the last {@code windows} windows of the cohort since the incident opened must be consecutive, of the criteria's
 * length, each at or under the threshold, each with volume within the tolerance of the pre-incident volume (or, when
 * none is known, of the windows' own mean); no adjacent cohort may be alarming on the metric; and the review queue must
 * be under its share of capacity throughout those windows (no queue data means not shown, so not met).
 */
public final class AllClearCheck {

    /** A window's figures, independent of storage. */
    public record Window(Instant start, Instant end, long numerator, long denominator, long decisions) {

        double rate() {
            return denominator == 0 ? 0.0 : (double) numerator / denominator;
        }
    }

    /** @param lastWindowEnd end of the newest window judged (the proposal's event time), null when none */
    public record Result(boolean met, List<String> evidence, List<String> failures, Instant lastWindowEnd) {

        public String summary() {
            return String.join("; ", met ? evidence : failures);
        }
    }

    private AllClearCheck() {
    }

    /**
     * @param since          the incident's opening (windows before it are the pre-incident baseline, not candidates)
     * @param cohortWindows  the cohort's windows of the metric, any order
     * @param queueWindows   the review queue's windows, any order
     * @param activeAlarms   cohorts currently alarming on the metric
     * @param baselineVolume pre-incident decisions per window, or null when unknown
     */
    public static Result evaluate(AllClearCriteria c, Instant since, List<Window> cohortWindows,
            List<Window> queueWindows, List<String> activeAlarms, Double baselineVolume) {
        List<String> evidence = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Window> candidates = cohortWindows.stream().filter(w -> !w.start().isBefore(since))
                .sorted(java.util.Comparator.comparing(Window::start)).toList();
        if (candidates.size() < c.windows()) {
            failures.add(String.format(Locale.ROOT, "%d of %d windows since the incident opened", candidates.size(),
                    c.windows()));
            return new Result(false, evidence, failures,
                    candidates.isEmpty() ? null : candidates.get(candidates.size() - 1).end());
        }
        List<Window> last = candidates.subList(candidates.size() - c.windows(), candidates.size());
        Duration length = Duration.ofMinutes(c.windowMinutes());
        double volumeRef = baselineVolume != null ? baselineVolume
                : last.stream().mapToLong(Window::decisions).average().orElse(0);
        for (int k = 0; k < last.size(); k++) {
            Window w = last.get(k);
            String name = "window " + w.start() + ".." + w.end();
            if (!Duration.between(w.start(), w.end()).equals(length)) {
                failures.add(name + " is not " + c.windowMinutes() + " minutes long");
            }
            if (k > 0 && !last.get(k - 1).end().equals(w.start())) {
                failures.add(name + " does not follow the previous window (gap or overlap)");
            }
            double rate = w.rate();
            if (rate > c.threshold()) {
                failures.add(String.format(Locale.ROOT, "%s rate %.4f above %.4f", name, rate, c.threshold()));
            } else {
                evidence.add(String.format(Locale.ROOT, "%s rate %.4f (%d/%d) <= %.4f", name, rate, w.numerator(),
                        w.denominator(), c.threshold()));
            }
            double deviation = volumeRef == 0 ? (w.decisions() == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(w.decisions() - volumeRef) / volumeRef;
            if (deviation > c.volumeTolerance()) {
                failures.add(String.format(Locale.ROOT, "%s volume %d is %.0f%% off the reference %.0f", name,
                        w.decisions(), deviation * 100, volumeRef));
            } else {
                evidence.add(String.format(Locale.ROOT, "%s volume %d within %.0f%% of %.0f", name, w.decisions(),
                        c.volumeTolerance() * 100, volumeRef));
            }
            double queue = -1;
            for (Window q : queueWindows) {
                if (q.start().isBefore(w.end()) && q.end().isAfter(w.start())) {
                    queue = Math.max(queue, q.rate());
                }
            }
            if (queue < 0) {
                failures.add(name + ": no review-queue load known");
            } else if (queue >= c.queueShare()) {
                failures.add(String.format(Locale.ROOT, "%s review queue at %.0f%% of capacity (limit %.0f%%)", name,
                        queue * 100, c.queueShare() * 100));
            } else {
                evidence.add(String.format(Locale.ROOT, "%s review queue at %.0f%% of capacity", name, queue * 100));
            }
        }
        List<String> adjacent = activeAlarms.stream().filter(a -> Cohorts.adjacent(c.cohort(), a)).sorted().toList();
        if (!adjacent.isEmpty()) {
            failures.add("adjacent cohorts alarming on " + c.metric() + ": " + adjacent);
        } else {
            evidence.add("no adjacent cohort alarming on " + c.metric());
        }
        return new Result(failures.isEmpty(), evidence, failures, last.get(last.size() - 1).end());
    }
}
