package io.vigil.guardrail.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a stream thread's fatal error does. Kafka Streams' default shuts the whole client down, so one transient
 * broker error stops every guardrail until someone restarts the pod: seen on the local stack under load, where the
 * broker answered OUT_OF_ORDER_SEQUENCE_NUMBER to the exactly-once producer and the topology stayed in ERROR while
 * decisions kept coming. Under exactly-once a replaced thread aborts the open transaction and resumes from the last
 * committed one, so nothing is counted twice or lost: the thread is replaced. An error that keeps coming back (a
 * record the topology cannot process, a broken broker) must not loop for ever: past {@code max-replacements} within
 * {@code replacement-window} the client shuts down, readiness turns DOWN and the log says why.
 */
@ApplicationScoped
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    private final Clock clock;
    private final int maxReplacements;
    private final Duration window;
    private final Counter replaced;
    private final Deque<Instant> recent = new ArrayDeque<>();

    @Inject
    StreamThreadRecovery(Clock clock, MeterRegistry registry, GuardrailStreamsConfig config) {
        this(clock, registry, config.maxReplacements(), config.replacementWindow());
    }

    StreamThreadRecovery(Clock clock, MeterRegistry registry, int maxReplacements, Duration window) {
        this.clock = clock;
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.replaced = Counter.builder("vigil.guardrail.stream.threads.replaced")
                .description("stream threads replaced after a fatal error (exactly-once: resumed from the last commit)")
                .register(registry);
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable error) {
        Instant now = clock.instant();
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= maxReplacements) {
            LOG.errorf(error, "stream thread failed again (%d replacements within %s): shutting the topology down;"
                    + " guardrails are not evaluated until the service restarts", recent.size(), window);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        replaced.increment();
        LOG.errorf("stream thread failed (%s); replacing it, resuming from the last committed transaction (%d of %d"
                + " replacements within %s)", summary(error), recent.size(), maxReplacements, window);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static String summary(Throwable error) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = error; t != null && s.length() < 400; t = t.getCause()) {
            if (!s.isEmpty()) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }
}
