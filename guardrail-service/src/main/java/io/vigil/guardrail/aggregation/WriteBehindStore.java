package io.vigil.guardrail.aggregation;

import java.util.Map;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A changelogged key-value store whose processor keeps its hot entries in memory and writes them back just before
 * every commit: Kafka Streams flushes each store before it commits the task (under exactly-once, before the
 * transaction that also carries the input offsets), and this store runs the processor's write-back first. So the
 * processor may update an in-memory sum for every record and the store still holds, at every commit, exactly the state
 * the committed offsets imply; a crash restores it from the changelog like any store. Without it, a sum updated per
 * record means a store write (and a changelog record) per record.
 */
final class WriteBehindStore<V> implements StateStore {

    private final KeyValueStore<String, V> inner;
    private Runnable beforeFlush = () -> {
    };

    private WriteBehindStore(KeyValueStore<String, V> inner) {
        this.inner = inner;
    }

    /** Wraps an ordinary store builder (its logging and caching settings apply to the inner store). */
    static <V> StoreBuilder<WriteBehindStore<V>> builder(StoreBuilder<KeyValueStore<String, V>> inner) {
        return new Builder<>(inner);
    }

    /** What to write into this store before each flush (the processor's dirty entries). */
    void beforeFlush(Runnable writeBack) {
        this.beforeFlush = writeBack;
    }

    V get(String key) {
        return inner.get(key);
    }

    void put(String key, V value) {
        inner.put(key, value);
    }

    void delete(String key) {
        inner.delete(key);
    }

    KeyValueIterator<String, V> all() {
        return inner.all();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        beforeFlush.run();
        inner.flush();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    private static final class Builder<V> implements StoreBuilder<WriteBehindStore<V>> {
        private final StoreBuilder<KeyValueStore<String, V>> inner;

        Builder(StoreBuilder<KeyValueStore<String, V>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<WriteBehindStore<V>> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindStore<V>> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindStore<V>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindStore<V>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public WriteBehindStore<V> build() {
            return new WriteBehindStore<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
