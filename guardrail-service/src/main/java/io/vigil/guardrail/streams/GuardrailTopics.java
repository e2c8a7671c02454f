package io.vigil.guardrail.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Makes sure the topology's topics exist before Kafka Streams starts, so a fresh local stack (a broker with nothing on
 * it) runs: creates the missing ones with the configured partitions and replication, the rollout watches compacted,
 * the pass-through topics with a retention. Idempotent: existing topics are left as they are (a topic created by a
 * racing instance counts as existing). A transaction's decision and outcomes must meet in one task, so topics whose
 * partition counts differ from the decisions' are reported.
 *
 * <p>The topology stamps what it writes (its sinks, changelogs and repartition topics) with the event time it read,
 * and a simulated day replays ahead of the wall clock; a broker refuses records stamped more than
 * {@code message.timestamp.after.max.ms} (Kafka 4 default: one hour) in its future and the stream thread dies on the
 * failed batch. So the topics the topology writes accept any future time: set when they are created here, raised on
 * topics that already exist, and for Kafka Streams' own internal topics by the {@code topic.} prefix
 * ({@link #STREAMS_TOPIC_OVERRIDES}, in application.properties for the service).
 */
public final class GuardrailTopics {

    private static final Logger LOG = Logger.getLogger(GuardrailTopics.class);

    /** A topic the topology writes in event time: no bound on how far ahead of the broker's clock a record may be. */
    public static final Map<String, String> EVENT_TIME_STAMPED = Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));

    /** The same for the internal topics Kafka Streams creates itself (StreamsConfig.topicPrefix). */
    public static final Map<String, String> STREAMS_TOPIC_OVERRIDES = Map.of(
            "topic." + TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));

    /** What to create, per topic: its extra configs. */
    public record Plan(Map<String, Map<String, String>> topics, int partitions, short replicationFactor,
            String applicationId) {

        /** A plan that leaves Kafka Streams' internal topics alone. */
        public Plan(Map<String, Map<String, String>> topics, int partitions, short replicationFactor) {
            this(topics, partitions, replicationFactor, null);
        }
    }

    private GuardrailTopics() {
    }

    /** @param applicationId Kafka Streams' application id, whose existing internal topics are checked too */
    public static Plan plan(GuardrailTopicsConfig t, GuardrailStreamsConfig s, String applicationId) {
        Map<String, String> passThrough = Map.of(TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(s.internalRetention().toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        return new Plan(Map.of(
                t.decisions(), Map.of(),
                t.outcomes(), Map.of(),
                t.verdicts(), EVENT_TIME_STAMPED,
                t.rolloutWatches(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                t.joinedOutcomes(), passThrough,
                t.unmatchedOutcomes(), passThrough,
                t.rolloutDeltas(), passThrough), s.partitions(), s.replicationFactor(), applicationId);
    }

    /**
     * Raises {@code message.timestamp.after.max.ms} to "any" on existing topics that have a lower bound (topics made
     * before this setting existed, or auto-created by a consumer): without it a replay ahead of the clock stops the
     * topology.
     */
    static void acceptFutureTimestamps(Admin admin, List<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
            if (entry == null || entry.value() == null || Long.parseLong(entry.value()) < Long.MAX_VALUE) {
                changes.put(resource, List.of(new AlterConfigOp(new ConfigEntry(
                        TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE)),
                        AlterConfigOp.OpType.SET)));
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("topics %s now accept records stamped ahead of the broker's clock (event-time replays)",
                    changes.keySet().stream().map(ConfigResource::name).sorted().toList());
        }
    }

    private static boolean isStreamsInternal(String topic, String applicationId) {
        return applicationId != null && topic.startsWith(applicationId + "-")
                && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }

    /** The topic's partition count; empty when it does not exist or the broker cannot be asked. */
    public static OptionalInt partitionsOf(String bootstrapServers, String topic, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers, timeout))) {
            return OptionalInt.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("cannot read the partition count of %s: %s", topic, e.toString());
            return OptionalInt.empty();
        }
    }

    private static Map<String, Object> adminConfig(String bootstrapServers, Duration timeout) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    }

    /**
     * Creates what is missing and returns the names it created.
     *
     * @param copartitioned topics that must have as many partitions as the first one (decisions, outcomes, joined)
     */
    public static List<String> ensure(String bootstrapServers, Plan plan, List<String> copartitioned,
            Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers, timeout))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            plan.topics().forEach((name, configs) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, plan.partitions(), plan.replicationFactor()).configs(configs));
                }
            });
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            List<String> eventTimeStamped = new ArrayList<>();
            plan.topics().forEach((name, configs) -> {
                if (existing.contains(name) && configs.containsKey(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG)) {
                    eventTimeStamped.add(name);
                }
            });
            existing.stream().filter(name -> isStreamsInternal(name, plan.applicationId())).forEach(eventTimeStamped::add);
            acceptFutureTimestamps(admin, eventTimeStamped, timeout);
            Map<String, TopicDescription> described = admin.describeTopics(copartitioned).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int expected = described.get(copartitioned.get(0)).partitions().size();
            for (String name : copartitioned) {
                int n = described.get(name).partitions().size();
                if (n != expected) {
                    LOG.errorf("topic %s has %d partitions, %s has %d: a transaction's decision and outcomes may "
                            + "land in different tasks and never join; give them the same count", name, n,
                            copartitioned.get(0), expected);
                }
            }
            return created;
        }
    }
}
