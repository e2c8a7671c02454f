package io.vigil.scoring.policy;

/**
 * Cut-offs for one cohort. A null attribute matches anything; a rule with every attribute null is the default cohort.
 * Scores at or above a cut-off get that action: decline over review over step-up over approve.
 *
 * @param name      cohort name, reported on each decision (e.g. "CA-18-24")
 * @param country   account country label (US, CA, ...), or null
 * @param region    account region label (NA, EU, LATAM, APAC), or null
 * @param ageBand   customer age band label (18-24, ...), or null
 * @param channel   checkout channel label (web, app, voice), or null
 * @param loginMethod login method label (password, social), or null
 * @param coverage  the cohort's coverage rule (insufficient data), or null for the policy's default
 */
public record CohortRule(String name, String country, String region, String ageBand, String channel,
        String loginMethod, double stepUp, double review, double decline, Coverage coverage) {

    /** A rule that takes its coverage rule from the policy's default cohort or the service configuration. */
    public CohortRule(String name, String country, String region, String ageBand, String channel, String loginMethod,
            double stepUp, double review, double decline) {
        this(name, country, region, ageBand, channel, loginMethod, stepUp, review, decline, null);
    }

    /** How many attributes the rule pins down: the most specific matching rule wins. */
    public int specificity() {
        return (country == null ? 0 : 1) + (region == null ? 0 : 1) + (ageBand == null ? 0 : 1)
                + (channel == null ? 0 : 1) + (loginMethod == null ? 0 : 1);
    }

    public boolean isDefault() {
        return specificity() == 0;
    }

    boolean matches(String country, String region, String ageBand, String channel, String loginMethod) {
        return same(this.country, country) && same(this.region, region) && same(this.ageBand, ageBand)
                && same(this.channel, channel) && same(this.loginMethod, loginMethod);
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }
}
