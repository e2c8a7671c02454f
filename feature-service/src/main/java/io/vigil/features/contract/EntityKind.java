package io.vigil.features.contract;

import java.util.Locale;

import io.vigil.contracts.features.v1.EntityType;

/** The entity a feature describes; mirrors vigil.features.v1.EntityType. */
public enum EntityKind {
    ACCOUNT(EntityType.ENTITY_TYPE_ACCOUNT),
    CARD(EntityType.ENTITY_TYPE_CARD),
    DEVICE(EntityType.ENTITY_TYPE_DEVICE),
    MERCHANT(EntityType.ENTITY_TYPE_MERCHANT);

    private final EntityType wire;

    EntityKind(EntityType wire) {
        this.wire = wire;
    }

    public EntityType wire() {
        return wire;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the kind written in a contract or REST body (case-insensitive), or null if unknown */
    public static EntityKind parse(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("ENTITY_TYPE_")) {
            n = n.substring("ENTITY_TYPE_".length());
        }
        for (EntityKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        return null;
    }

    /** @return the kind of a wire entity type, or null for UNSPECIFIED / unrecognised numbers */
    public static EntityKind of(EntityType type) {
        for (EntityKind k : values()) {
            if (k.wire == type) {
                return k;
            }
        }
        return null;
    }
}
