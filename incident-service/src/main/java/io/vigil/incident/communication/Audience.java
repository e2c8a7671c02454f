package io.vigil.incident.communication;

import java.util.Arrays;
import java.util.Optional;

import io.vigil.contracts.events.v1.StakeholderAudience;

/** Who an incident's stakeholder updates are for. Each has a cadence by severity ({@link CadencePolicy}). */
public enum Audience {
    EXECUTIVES("executives", false, StakeholderAudience.STAKEHOLDER_AUDIENCE_EXECUTIVES),
    FINANCE("finance", false, StakeholderAudience.STAKEHOLDER_AUDIENCE_FINANCE),
    PARTNER_TEAMS("partner-teams", false, StakeholderAudience.STAKEHOLDER_AUDIENCE_PARTNER_TEAMS),
    SUPPORT("support", false, StakeholderAudience.STAKEHOLDER_AUDIENCE_SUPPORT),
    /** Merchants are outside the company: their drafts are redacted like the public page's. */
    MERCHANTS("merchants", true, StakeholderAudience.STAKEHOLDER_AUDIENCE_MERCHANTS),
    PUBLIC_STATUS_PAGE("public-status-page", true, StakeholderAudience.STAKEHOLDER_AUDIENCE_PUBLIC_STATUS_PAGE);

    private final String key;
    private final boolean external;
    private final StakeholderAudience proto;

    Audience(String key, boolean external, StakeholderAudience proto) {
        this.key = key;
        this.external = external;
        this.proto = proto;
    }

    /** The name in configuration keys and URLs ({@code vigil.communications.cadence.<key>.sev1}). */
    public String key() {
        return key;
    }

    /** Outside the company: only public fields, redacted by rule. */
    public boolean external() {
        return external;
    }

    public StakeholderAudience proto() {
        return proto;
    }

    /** Accepts the key ({@code partner-teams}) or the enum name ({@code PARTNER_TEAMS}), any case. */
    public static Optional<Audience> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(a -> a.key.equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s))
                .findFirst();
    }
}
