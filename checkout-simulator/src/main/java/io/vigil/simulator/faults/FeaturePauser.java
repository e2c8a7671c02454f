package io.vigil.simulator.faults;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.vigil.simulator.scenario.World;

/**
 * The latency fault hook: freezes the feature-service process with SIGSTOP for {@code pause} out of every
 * {@code every} of wall time and thaws it with SIGCONT, so GetFeatures calls that arrive during a pause wait (or run
 * into scoring's feature deadline and fall back), exactly as a service stalled by GC or a noisy neighbour would. The
 * process is the one the simulator is told about ({@code --feature-service-pid}); nothing in the service knows.
 * Always leaves the process running when stopped.
 */
public final class FeaturePauser implements AutoCloseable {

    private final long pid;
    private final Thread thread;
    private volatile World.FeatureLatency latency = World.FeatureLatency.NONE;
    private volatile boolean running = true;
    private long pauses;

    public FeaturePauser(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::run, "feature-pauser");
        this.thread.setDaemon(true);
        this.thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> signal("CONT")));
    }

    public void set(World.FeatureLatency latency) {
        this.latency = latency;
    }

    public long pauses() {
        return pauses;
    }

    private void run() {
        while (running) {
            World.FeatureLatency l = latency;
            try {
                if (!l.active()) {
                    Thread.sleep(50);
                    continue;
                }
                signal("STOP");
                pauses++;
                try {
                    Thread.sleep(l.pauseMillis());
                } finally {
                    signal("CONT");
                }
                Thread.sleep(l.everyMillis() - l.pauseMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal feature-service (pid " + pid + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signal("CONT");
    }
}
