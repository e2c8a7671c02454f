package io.vigil.riskmodel.population;

/**
 * What a real feature store lacks at checkout time, at documented rates. A generated row keeps its real values for the
 * fraud truth; only the emitted features lose what the store would not know (NaN, never a zero), the way production's
 * GetFeatures answers MISSING for an entity it has never seen.
 *
 * <ul>
 *   <li><b>First-time accounts</b>: an account opened fewer than {@value #FIRST_TIME_MAX_AGE_DAYS} days ago with no
 *       completed order has no history in the store with probability {@code firstTimeAccounts} (its first checkout
 *       reaches scoring before any producer has published it). Every account-level stored feature is then missing:
 *       account age, login method, age band, country, region, the 1 h / 24 h aggregates, email age and domain, prior
 *       chargebacks and orders, password reset; and with them what scoring derives from them (amount-to-average ratio,
 *       IP country mismatch, which needs the account country).</li>
 *   <li><b>Unseen accounts</b>: any other account lacks its history with probability {@code unseenAccounts} (an
 *       account migrated from another platform, a profile not yet published); the same features are missing.</li>
 *   <li><b>New devices</b>: a device new to the account is unknown to device intelligence (no {@code device_age_days})
 *       with probability {@code unseenDevices}; {@code new_device} is then missing.</li>
 *   <li><b>New cards</b>: a card whose BIN range the issuer table does not know yet, with probability
 *       {@code unseenCards}: {@code card_bin_country_mismatch} and {@code prepaid_card} are missing. (No stored
 *       feature of checkout-features/v1 is keyed by card; the BIN attributes are what a new card lacks.)</li>
 * </ul>
 *
 * @param firstTimeAccounts probability that a young account without orders is unknown to the store
 * @param unseenAccounts    probability that any other account is unknown to the store
 * @param unseenDevices     probability that a device new to the account is unknown to device intelligence
 * @param unseenCards       probability that a card's BIN range is unknown
 */
public record Missingness(double firstTimeAccounts, double unseenAccounts, double unseenDevices, double unseenCards) {

    /** Accounts younger than this (days) and without a completed order count as first-time accounts. */
    public static final int FIRST_TIME_MAX_AGE_DAYS = 3;

    /** The rates the default model is trained with. */
    public static final Missingness REALISTIC = new Missingness(0.8, 0.01, 0.5, 0.02);

    /** Every feature the generator draws is emitted (the population before issue #15). */
    public static final Missingness NONE = new Missingness(0, 0, 0, 0);

    public Missingness {
        check("firstTimeAccounts", firstTimeAccounts);
        check("unseenAccounts", unseenAccounts);
        check("unseenDevices", unseenDevices);
        check("unseenCards", unseenCards);
    }

    private static void check(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability within 0..1, got " + p);
        }
    }

    /** Parses "realistic", "none", or four probabilities "first-time,unseen-accounts,unseen-devices,unseen-cards". */
    public static Missingness parse(String text) {
        if ("realistic".equals(text)) {
            return REALISTIC;
        }
        if ("none".equals(text)) {
            return NONE;
        }
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("missingness: expected 'realistic', 'none' or four probabilities "
                    + "'first-time,unseen-accounts,unseen-devices,unseen-cards', got '" + text + "'");
        }
        try {
            return new Missingness(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("missingness: not a number in '" + text + "'");
        }
    }
}
