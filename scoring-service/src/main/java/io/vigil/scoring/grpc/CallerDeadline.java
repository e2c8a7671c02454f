package io.vigil.scoring.grpc;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Makes the caller's gRPC deadline visible as {@code Context.current().getDeadline()}. With gRPC on the HTTP port
 * (the Vert.x server) the context does not carry it, so it is read from the {@code grpc-timeout} header, whose
 * format the gRPC HTTP/2 protocol fixes: up to 8 digits and a unit (H, M, S, m, u, n).
 */
@GlobalInterceptor
@ApplicationScoped
public class CallerDeadline implements ServerInterceptor {

    private static final Context.Key<Deadline> DEADLINE = Context.key("vigil-caller-deadline");
    static final Metadata.Key<String> GRPC_TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (Context.current().getDeadline() != null) {
            return next.startCall(call, headers);
        }
        long nanos = parse(headers.get(GRPC_TIMEOUT));
        if (nanos < 0) {
            return next.startCall(call, headers);
        }
        // A value, not Context.withDeadline: that would schedule a cancellation timer for every call.
        Context context = Context.current().withValue(DEADLINE, Deadline.after(nanos, TimeUnit.NANOSECONDS));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The caller's remaining time in nanoseconds, or Long.MAX_VALUE when the caller set no deadline. */
    public static long remainingNanos() {
        Deadline d = Context.current().getDeadline();
        if (d == null) {
            d = DEADLINE.get();
        }
        return d == null ? Long.MAX_VALUE : d.timeRemaining(TimeUnit.NANOSECONDS);
    }

    /** Nanoseconds of a grpc-timeout value, or -1 when absent or malformed. */
    static long parse(String value) {
        if (value == null || value.length() < 2 || value.length() > 9) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        return switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS.toNanos(amount);
            case 'M' -> TimeUnit.MINUTES.toNanos(amount);
            case 'S' -> TimeUnit.SECONDS.toNanos(amount);
            case 'm' -> TimeUnit.MILLISECONDS.toNanos(amount);
            case 'u' -> TimeUnit.MICROSECONDS.toNanos(amount);
            case 'n' -> amount;
            default -> -1;
        };
    }
}
