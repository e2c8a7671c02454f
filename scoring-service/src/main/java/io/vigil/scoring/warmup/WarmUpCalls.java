package io.vigil.scoring.warmup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Marks the service's own warm-up calls, so they run the whole Score path but leave no trace: no stored decision, no
 * decision event, no decision metrics (a guardrail must never count a synthetic payment). Only a call over loopback that
 * carries the header is marked: a checkout cannot make its payments invisible by sending it.
 */
@GlobalInterceptor
@ApplicationScoped
public class WarmUpCalls implements ServerInterceptor {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("vigil-warm-up", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> WARM_UP = Context.key("vigil-warm-up");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (headers.get(HEADER) == null || !fromLoopback(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(WARM_UP, Boolean.TRUE), call, headers, next);
    }

    /** True on the thread that received a marked warm-up call (read it there: the context does not follow async hops). */
    public static boolean current() {
        return WARM_UP.get() == Boolean.TRUE;
    }

    static boolean fromLoopback(SocketAddress remote) {
        return remote instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }
}
