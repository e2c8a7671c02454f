package io.vigil.service.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * admin ⊇ operator ⊇ viewer, commander ⊇ operator ⊇ viewer: the roles a granted role includes. Kept as data in one place so every service grants the
 * same thing for the same token; {@code producer} includes nothing else, and a role this suite does not know grants
 * only itself.
 */
public final class RoleHierarchy {

    private static final Map<String, List<String>> INCLUDES = Map.of(
            Roles.ADMIN, List.of(Roles.OPERATOR, Roles.VIEWER),
            Roles.COMMANDER, List.of(Roles.OPERATOR, Roles.VIEWER),
            Roles.OPERATOR, List.of(Roles.VIEWER),
            Roles.VIEWER, List.of(),
            Roles.PRODUCER, List.of());

    private RoleHierarchy() {
    }

    /** The granted roles plus every role they include. */
    public static Set<String> effective(Set<String> granted) {
        Set<String> out = new LinkedHashSet<>(granted);
        for (String role : granted) {
            out.addAll(INCLUDES.getOrDefault(role, List.of()));
        }
        return out;
    }
}
