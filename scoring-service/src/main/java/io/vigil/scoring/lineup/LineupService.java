package io.vigil.scoring.lineup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.model.LineupPlan;
import io.vigil.scoring.model.ModelRegistrationException;
import io.vigil.scoring.model.ModelRegistry;
import io.vigil.scoring.policy.PolicyService;

/**
 * The model line-up and the active policy changed together, in one transaction that holds both tables' locks: a
 * rollout's step (challenger at a share, a policy activated) or its rollback (the exact previous line-up back) is
 * never half applied, and two replicas' changes cannot interleave. The line-up's invariants are {@link LineupPlan}'s;
 * a change to what is already served changes nothing and audits nothing, so applying the same line-up twice is
 * harmless. Audited in model_audit (and policy_audit when the policy moves) with the token's subject.
 */
@ApplicationScoped
public class LineupService {

    private final Pool pool;
    private final ModelRegistry registry;
    private final PolicyService policies;
    private final ScoringConfig.Models config;

    LineupService(Pool pool, ModelRegistry registry, PolicyService policies, ScoringConfig config) {
        this.pool = pool;
        this.registry = registry;
        this.policies = policies;
        this.config = config.models();
    }

    /** The line-up the database records (every replica serves it within its refresh interval). */
    public Uni<Lineup> current() {
        return pool.withConnection(c -> read(c, List.of()).map(s -> Lineup.of(s.plan, s.policy)));
    }

    /** What the tables hold: the live models, their sizes, the active policy, and which named versions exist. */
    private record Served(LineupPlan plan, String policy, Map<String, Long> bytes, Set<String> known) {
    }

    private Uni<Served> read(SqlClient c, List<String> named) {
        return c.preparedQuery("SELECT version, status, challenger_share, estimated_bytes FROM model_version "
                + "WHERE status IN ('CHAMPION', 'CHALLENGER', 'SHADOW') OR version = ANY($1) ORDER BY created_at, version")
                .execute(Tuple.of(named.toArray(String[]::new)))
                .flatMap(rows -> c.query("SELECT version FROM threshold_policy WHERE status = 'ACTIVE'").execute()
                        .map(active -> {
                            String champion = null;
                            String challenger = null;
                            double share = 0.0;
                            List<String> shadows = new ArrayList<>();
                            Map<String, Long> bytes = new HashMap<>();
                            Set<String> known = new LinkedHashSet<>();
                            for (Row r : rows) {
                                String v = r.getString("version");
                                known.add(v);
                                Long b = r.getLong("estimated_bytes");
                                bytes.put(v, b == null ? 0L : b);
                                switch (r.getString("status")) {
                                    case "CHAMPION" -> champion = v;
                                    case "CHALLENGER" -> {
                                        challenger = v;
                                        share = r.getDouble("challenger_share");
                                    }
                                    case "SHADOW" -> shadows.add(v);
                                    default -> {
                                        // registered or retired: only named
                                    }
                                }
                            }
                            var it = active.iterator();
                            String policy = it.hasNext() ? it.next().getString("version") : PolicyService.BUILT_IN;
                            return new Served(new LineupPlan(champion, challenger, share, shadows), policy, bytes,
                                    known);
                        }));
    }

    /** Applies {@code change}; the line-up served afterwards. */
    public Uni<Lineup> change(LineupChange change, String actor) {
        check(change);
        List<String> named = new ArrayList<>();
        named.add(change.championModelVersion());
        if (change.challengerModelVersion() != null) {
            named.add(change.challengerModelVersion());
        }
        if (change.shadowModelVersions() != null) {
            named.addAll(change.shadowModelVersions());
        }
        return pool.withTransaction(tx -> tx.query("LOCK TABLE model_version IN SHARE ROW EXCLUSIVE MODE").execute()
                .flatMap(x -> tx.query("LOCK TABLE threshold_policy IN SHARE ROW EXCLUSIVE MODE").execute())
                .flatMap(x -> read(tx, named))
                .flatMap(before -> policyKnown(tx, change.policyVersion()).flatMap(policyKnown -> {
                    Lineup was = Lineup.of(before.plan, before.policy);
                    if (change.expectedRevision() != null && !change.expectedRevision().equals(was.revision())) {
                        throw new ModelRegistrationException("expected_revision", "expected_revision: the line-up is "
                                + "at revision " + was.revision() + ", not " + change.expectedRevision()
                                + "; read it again (GET /lineup)", true);
                    }
                    for (int i = 0; i < named.size(); i++) {
                        if (!before.known.contains(named.get(i))) {
                            String field = i == 0 ? "champion_model_version"
                                    : change.challengerModelVersion() != null && i == 1 ? "challenger_model_version"
                                            : "shadow_model_versions";
                            throw new ModelRegistrationException(field, field + ": model version '" + named.get(i)
                                    + "' is not registered", false);
                        }
                    }
                    if (!policyKnown) {
                        throw new ModelRegistrationException("policy_version", "policy_version: no policy '"
                                + change.policyVersion() + "'", false);
                    }
                    LineupPlan after = planOf(change, before.plan);
                    if (was.sameAs(after, change.policyVersion())) {
                        return Uni.createFrom().item(was);
                    }
                    checkLimits(before, after);
                    return apply(tx, before, after, change, actor).replaceWith(Lineup.of(after,
                            change.policyVersion()));
                })))
                // This replica serves the change at once; the others within their refresh interval.
                .call(x -> registry.refresh())
                .call(x -> policies.refresh());
    }

    private static void check(LineupChange c) {
        if (c.championModelVersion() == null || c.championModelVersion().isBlank()) {
            throw new ModelRegistrationException("champion_model_version", "champion_model_version: required (a "
                    + "line-up always has a champion)", false);
        }
        if (c.policyVersion() == null || c.policyVersion().isBlank()) {
            throw new ModelRegistrationException("policy_version", "policy_version: required ('" + PolicyService.BUILT_IN
                    + "' for the configured default)", false);
        }
        if (c.reason() == null || c.reason().isBlank()) {
            throw new ModelRegistrationException("reason", "reason: say why (it goes to the audit trail)", false);
        }
        double share = c.challengerShare() == null ? 0.0 : c.challengerShare();
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new ModelRegistrationException("challenger_share", "challenger_share: must be within 0..1", false);
        }
        if (c.challengerModelVersion() != null && c.challengerModelVersion().equals(c.championModelVersion())) {
            throw new ModelRegistrationException("challenger_model_version", "challenger_model_version: the champion "
                    + "cannot also be the challenger", false);
        }
        if (c.shadowModelVersions() != null) {
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < c.shadowModelVersions().size(); i++) {
                String s = c.shadowModelVersions().get(i);
                if (s == null || s.equals(c.championModelVersion()) || s.equals(c.challengerModelVersion())
                        || !seen.add(s)) {
                    throw new ModelRegistrationException("shadow_model_versions[" + i + "]", "shadow_model_versions["
                            + i + "]: each shadow once, and neither champion nor challenger", false);
                }
            }
        }
    }

    private Uni<Boolean> policyKnown(SqlClient tx, String version) {
        if (PolicyService.BUILT_IN.equals(version)) {
            return Uni.createFrom().item(true);
        }
        return tx.preparedQuery("SELECT 1 FROM threshold_policy WHERE version = $1").execute(Tuple.of(version))
                .map(rows -> rows.size() > 0);
    }

    private static LineupPlan planOf(LineupChange c, LineupPlan before) {
        List<String> shadows;
        if (c.shadowModelVersions() != null) {
            shadows = c.shadowModelVersions();
        } else {
            shadows = new ArrayList<>(before.shadows());
            shadows.remove(c.championModelVersion());
            shadows.remove(c.challengerModelVersion());
        }
        double share = c.challengerModelVersion() == null || c.challengerShare() == null ? 0.0 : c.challengerShare();
        return new LineupPlan(c.championModelVersion(), c.challengerModelVersion(), share, shadows);
    }

    private void checkLimits(Served before, LineupPlan after) {
        if (after.shadows().size() > config.maxShadows() && after.shadows().size() > before.plan.shadows().size()) {
            throw new ModelRegistrationException("shadow_model_versions", "shadow_model_versions: "
                    + after.shadows().size() + " shadows, over the limit of " + config.maxShadows()
                    + " (scoring.models.max-shadows)", true);
        }
        long bytes = after.loadedBytes(before.bytes);
        if (bytes > config.maxLoadedBytes() && bytes > before.plan.loadedBytes(before.bytes)) {
            throw new ModelRegistrationException("champion_model_version", "the line-up would hold about "
                    + (bytes >> 20) + " MiB of models, over scoring.models.max-loaded-bytes", true);
        }
    }

    private Uni<Void> apply(SqlClient tx, Served before, LineupPlan after, LineupChange change, String actor) {
        Map<String, ModelRegistry.Role> changes = after.changesFrom(before.plan);
        List<Tuple> updates = new ArrayList<>();
        // Those leaving the champion/challenger roles first: the one-champion and one-challenger unique indexes hold
        // after every statement, e.g. a restore that makes the rolled-out challenger a shadow again.
        changes.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt(e -> e.getValue().ordinal() == ModelRegistry.Role.CHAMPION
                        .ordinal() ? 2 : e.getValue() == ModelRegistry.Role.CHALLENGER ? 1 : 0))
                .forEach(e -> updates.add(Tuple.of(e.getKey(), e.getValue().name(),
                        e.getValue() == ModelRegistry.Role.CHALLENGER ? after.challengerShare() : 0.0)));
        Uni<?> models = updates.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("UPDATE model_version SET status = $2, challenger_share = $3, updated_at = now() "
                        + "WHERE version = $1").executeBatch(updates);
        boolean policyMoves = !Objects.equals(before.policy, change.policyVersion());
        Uni<?> policy = !policyMoves ? Uni.createFrom().voidItem()
                : tx.query("UPDATE threshold_policy SET status = 'RETIRED' WHERE status = 'ACTIVE'").execute()
                        .flatMap(x -> PolicyService.BUILT_IN.equals(change.policyVersion())
                                ? Uni.createFrom().voidItem()
                                : tx.preparedQuery("UPDATE threshold_policy SET status = 'ACTIVE', activated_at = now() "
                                        + "WHERE version = $1").execute(Tuple.of(change.policyVersion()))
                                        .replaceWithVoid());
        String subject = after.challenger() != null ? after.challenger() : after.champion();
        ModelRegistry.Role role = after.challenger() != null ? ModelRegistry.Role.CHALLENGER
                : ModelRegistry.Role.CHAMPION;
        return models.flatMap(x -> policy)
                .flatMap(x -> tx.preparedQuery("INSERT INTO model_audit (actor, action, model_version, role, share, "
                        + "reason, before, after) VALUES ($1, 'LINEUP', $2, $3, $4, $5, $6, $7)")
                        .execute(Tuple.from(new Object[] {actor, subject, role.name(), after.challengerShare(),
                                change.reason(), json(before.plan, before.policy),
                                json(after, change.policyVersion())})))
                .flatMap(x -> !policyMoves ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO policy_audit (actor, action, policy_version, reason, diff) "
                                + "VALUES ($1, 'LINEUP', $2, $3, $4)")
                                .execute(Tuple.of(actor, change.policyVersion(), change.reason(),
                                        new JsonObject().put("from", before.policy)
                                                .put("to", change.policyVersion())))
                                .replaceWithVoid());
    }

    private static JsonObject json(LineupPlan plan, String policy) {
        return new JsonObject().put("champion", plan.champion()).put("challenger", plan.challenger())
                .put("challengerShare", plan.challengerShare()).put("shadows", new JsonArray(plan.shadows()))
                .put("policy", policy);
    }
}
