package io.vigil.testing.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another Vigil service, run from its built jar as a real process, for tests that need two services talking to each
 * other (end-to-end tests). Started with its configuration as system properties, considered up once
 * {@code /q/health/ready} answers 200, stopped with SIGTERM (graceful) and killed only if it outlives the grace period.
 */
public final class QuarkusServiceProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(15);

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private QuarkusServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * The built jar of a sibling module, {@code <repo>/<module>/target/quarkus-app/quarkus-run.jar}, seen from a module
     * directory (the working directory of surefire).
     *
     * @throws IllegalStateException naming the build command when the jar is not there
     */
    public static Path builtJar(String module) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl " + module
                    + " -am package -DskipTests); the root build orders " + module + " before the modules testing with it");
        }
        return jar;
    }

    /**
     * Starts the service and waits until it is ready.
     *
     * @param properties configuration as system properties (datasource, Kafka, ...); the port is set here
     */
    public static QuarkusServiceProcess start(String name, Path jar, int port, Map<String, String> properties,
            Duration readyTimeout) throws IOException, InterruptedException {
        return start(name, jar, port, properties, List.of(), readyTimeout);
    }

    /**
     * @param jvmOptions options of the service's JVM besides the heap limit (an AOT cache, a CDS archive, a GC)
     */
    public static QuarkusServiceProcess start(String name, Path jar, int port, Map<String, String> properties,
            List<String> jvmOptions, Duration readyTimeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Path log = Files.createTempFile(name + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        QuarkusServiceProcess service = new QuarkusServiceProcess(name, port, process, log);
        try {
            service.awaitReady(readyTimeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; "
                        + "log " + log + ":\n" + tail(30));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; log " + log
                + ":\n" + tail(30));
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** The service's operating-system process id, for tools that signal it (e.g. SIGSTOP/SIGCONT to freeze it). */
    public long pid() {
        return process.pid();
    }

    /** The last lines of the service's log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
