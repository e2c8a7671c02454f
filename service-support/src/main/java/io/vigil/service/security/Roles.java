package io.vigil.service.security;

/**
 * The roles a Vigil bearer token grants, in its {@code groups} claim. A token carries the one role its holder was
 * granted; {@link RoleHierarchy} adds the roles that one includes (admin includes operator, operator includes viewer).
 *
 * <ul>
 * <li>{@code viewer}: reads (policies, models, contracts, feature health, drift).</li>
 * <li>{@code operator}: changes what the suite does: policies, models, rollouts, quarantine (read, since it holds raw
 * payloads, and replay), re-baselining.</li>
 * <li>{@code admin}: changes contracts, including acknowledged breaking changes.</li>
 * <li>{@code commander}: runs incidents (incident-service): everything an operator may, plus overriding an incident's
 * severity and confirming its all-clear (resolving it). Granted to on-call leads, not implied by admin.</li>
 * <li>{@code producer}: pushes feature values ({@code POST /features/batch}); a machine role that includes no other,
 * so a producer's credential can neither read operators' data nor change anything else.</li>
 * </ul>
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    public static final String PRODUCER = "producer";
    public static final String COMMANDER = "commander";

    private Roles() {
    }
}
