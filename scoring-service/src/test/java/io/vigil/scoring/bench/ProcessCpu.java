package io.vigil.scoring.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU seconds used by the suite's processes, from /proc (user + system time of each process, summed per component),
 * so a run reports what a Score costs across the suite and not only its latency. PostgreSQL works in one backend
 * process per connection: every process named {@code postgres} is counted.
 */
final class ProcessCpu {

    /** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
    private static final double TICKS = 100.0;

    private final Map<String, Predicate<ProcessInfo>> components = new LinkedHashMap<>();

    record ProcessInfo(long pid, String comm, String cmdline) {
    }

    /** Adds a component made of the processes matching {@code which}. */
    ProcessCpu component(String name, Predicate<ProcessInfo> which) {
        components.put(name, which);
        return this;
    }

    /** The components of the suite as ./bin/vigil up and the bench start them, found by their command lines. */
    static ProcessCpu suite(long scoringPid, long featuresPid) {
        return new ProcessCpu()
                .component("scoring-service", p -> scoringPid > 0 ? p.pid() == scoringPid
                        : p.cmdline().contains("scoring-service/target/quarkus-app/quarkus-run.jar"))
                .component("feature-service", p -> featuresPid > 0 ? p.pid() == featuresPid
                        : p.cmdline().contains("feature-service/target/quarkus-app/quarkus-run.jar"))
                .component("kafka", p -> p.cmdline().contains("kafka.Kafka"))
                .component("postgresql", p -> p.comm().equals("postgres"));
    }

    /** CPU seconds so far per component (processes that exited since the last snapshot are not counted). */
    Map<String, Double> snapshot() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        components.keySet().forEach(k -> cpu.put(k, 0.0));
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                ProcessInfo info = read(dir);
                if (info == null) {
                    continue;
                }
                for (var c : components.entrySet()) {
                    if (c.getValue().test(info)) {
                        cpu.merge(c.getKey(), seconds(dir), Double::sum);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }

    /** Per component: microseconds of CPU per Score between two snapshots, with the total. */
    static String perScore(Map<String, Double> before, Map<String, Double> after, long scores) {
        if (before.isEmpty() || after.isEmpty() || scores == 0) {
            return "CPU per Score: not available (no /proc, or no calls)";
        }
        StringBuilder s = new StringBuilder("CPU per Score (us, /proc utime+stime over the phase):");
        double total = 0;
        for (String name : after.keySet()) {
            double used = after.get(name) - before.getOrDefault(name, 0.0);
            total += used;
            s.append(String.format(java.util.Locale.ROOT, "  %s %.0f", name, used * 1e6 / scores));
        }
        s.append(String.format(java.util.Locale.ROOT, "  | suite %.0f (goal <= 400; scoring-service <= 150)",
                total * 1e6 / scores));
        return s.toString();
    }

    private static ProcessInfo read(Path dir) {
        try {
            String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).trim();
            String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            return new ProcessInfo(Long.parseLong(dir.getFileName().toString()), comm, cmdline);
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static double seconds(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            // After the command name in parentheses (which may hold spaces): field 3 is state; utime and stime are 14, 15.
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return (Long.parseLong(f.get(11)) + Long.parseLong(f.get(12))) / TICKS;
        } catch (IOException | RuntimeException gone) {
            return 0.0;
        }
    }
}
