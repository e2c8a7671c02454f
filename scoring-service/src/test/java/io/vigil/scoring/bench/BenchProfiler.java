package io.vigil.scoring.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

import com.sun.tools.attach.VirtualMachine;

/**
 * async-profiler (CPU samples, perf_events) on the scoring-service process over exactly the measured phase, attached
 * from outside: the library ships in the tools.profiler:async-profiler jar on the bench's class path. Writes
 * collapsed stacks (flame-graph input) and prints where the service's CPU went, by the package of the innermost Java
 * frame, because a profile started by hand by time of day missed the phase it meant to cover.
 */
final class BenchProfiler {

    private final long pid;
    private final Path output;
    private final String library;

    private BenchProfiler(long pid, Path output, String library) {
        this.pid = pid;
        this.output = output;
        this.library = library;
    }

    static BenchProfiler start(long pid, Path output) throws Exception {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        Path lib = Files.createTempFile("vigil-bench-async-profiler-", ".so");
        try (InputStream in = BenchProfiler.class.getClassLoader().getResourceAsStream(arch + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("no " + arch + "/libasyncProfiler.so on the class path "
                        + "(tools.profiler:async-profiler, a test dependency of scoring-service)");
            }
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        lib.toFile().deleteOnExit();
        BenchProfiler p = new BenchProfiler(pid, output.toAbsolutePath(), lib.toString());
        // threads: each stack starts with its thread, so the summary can say how much went to the JIT compilers and
        // the garbage collector, which is what the cold phase is about.
        p.command("start,event=cpu,interval=1ms,threads");
        return p;
    }

    /** Stops, writes the collapsed stacks and prints the summary. */
    void stop() throws Exception {
        command("stop,collapsed,file=" + output);
        System.out.println("profile of scoring-service over the measured phase: " + output
                + " (collapsed stacks); CPU samples by the innermost Java frame's package:");
        summarise(output);
    }

    private void command(String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgentPath(library, options);
        } finally {
            vm.detach();
        }
    }

    static void summarise(Path collapsed) throws IOException {
        Map<String, Long> byPackage = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        long total = 0;
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            if (frames.length > 0 && frames[0].startsWith("[")) {
                byThread.merge(threadKind(frames[0]), n, Long::sum);
                frames = java.util.Arrays.copyOfRange(frames, 1, frames.length);
            }
            String key = "(no Java frame: JVM, GC, compiler)";
            for (int i = frames.length - 1; i >= 0; i--) {
                if (frames[i].indexOf('/') > 0) {
                    String[] parts = frames[i].split("/");
                    key = String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
                    if (i < frames.length - 1) {
                        key += " (in native code)";
                    }
                    break;
                }
            }
            byPackage.merge(key, n, Long::sum);
            total += n;
        }
        long all = total;
        byPackage.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        if (!byThread.isEmpty()) {
            System.out.println("CPU samples by thread (numbers folded: every event loop counts as one kind):");
            byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        }
    }

    /** "[C2 CompilerThread1 tid=42]" -> "C2 CompilerThread#": one line per kind of thread, not per thread. */
    static String threadKind(String frame) {
        String name = frame.substring(1, frame.endsWith("]") ? frame.length() - 1 : frame.length());
        int tid = name.lastIndexOf(" tid=");
        if (tid >= 0) {
            name = name.substring(0, tid);
        }
        return name.replaceAll("\\d+$", "#");
    }
}
