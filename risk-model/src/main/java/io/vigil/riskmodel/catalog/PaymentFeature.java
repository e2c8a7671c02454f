package io.vigil.riskmodel.catalog;

import java.util.List;

/**
 * The card-not-present checkout features of feature contract {@link FeatureCatalog#CONTRACT_VERSION}, in the canonical
 * column order the synthetic population writes and the default model was trained on. Categoricals are integer codes
 * whose labels are listed here, because the gbtree evaluator supports numerical splits only.
 */
public enum PaymentFeature {
    AMOUNT("amount", "Transaction amount, in USD equivalent", "High transaction amount"),
    CURRENCY("currency", "Transaction currency (code)", "Transaction currency",
            "USD", "CAD", "GBP", "EUR", "BRL", "MXN", "INR", "JPY", "AUD"),
    MERCHANT_CATEGORY("merchant_category", "Merchant category (code)", "Higher-risk merchant category",
            "digital_goods", "electronics", "gift_cards", "gaming", "travel", "fashion", "home", "grocery", "services",
            "ticketing"),
    MERCHANT_FRAUD_RATE_90D("merchant_fraud_rate_90d", "Merchant's confirmed fraud rate over 90 days",
            "Merchant with a high recent fraud rate"),
    CHANNEL("channel", "Checkout channel (code)", "Higher-risk checkout channel", "web", "app", "voice"),
    ACCOUNT_AGE_DAYS("account_age_days", "Days since the customer account was opened", "Account opened recently"),
    LOGIN_METHOD("login_method", "How the customer logged in (code)", "Login method", "password", "social"),
    CUSTOMER_AGE_BAND("customer_age_band", "Customer age band (code)", "Customer age band",
            "18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    COUNTRY("country", "Account country (code)", "Higher-risk country",
            "US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU"),
    REGION("region", "Account region (code)", "Higher-risk region", "NA", "EU", "LATAM", "APAC"),
    BILLING_IP_COUNTRY_MISMATCH("billing_ip_country_mismatch", "Billing country differs from the IP country",
            "Billing country differs from IP location"),
    IP_COUNTRY_MISMATCH("ip_country_mismatch", "IP country differs from the account country",
            "Connecting from outside the account's country"),
    CARD_BIN_COUNTRY_MISMATCH("card_bin_country_mismatch", "Card issuing (BIN) country differs from the billing country",
            "Card issued in a different country than billing"),
    NEW_DEVICE("new_device", "Device never seen on this account", "New device for this account"),
    AVS_RESULT("avs_result", "Address verification result (code)", "Address verification did not match",
            "match", "partial", "no_match", "unavailable"),
    CVV_RESULT("cvv_result", "Card security code result (code)", "Card security code failed or missing",
            "match", "no_match", "not_provided"),
    TXN_COUNT_1H("txn_count_1h", "Account's transactions in the previous hour", "Many transactions in the last hour"),
    TXN_COUNT_24H("txn_count_24h", "Account's transactions in the previous 24 hours",
            "Many transactions in the last 24 hours"),
    AMOUNT_SUM_24H("amount_sum_24h", "Account's spend in the previous 24 hours, USD", "High spend in the last 24 hours"),
    HOUR_OF_DAY("hour_of_day", "Local hour of the checkout (0-23)", "Unusual time of day"),
    EMAIL_AGE_DAYS("email_age_days", "Days since the email address was first seen", "Email address is new"),
    EMAIL_DOMAIN_FREE("email_domain_free", "Email at a free provider", "Free email provider"),
    PRIOR_CHARGEBACKS("prior_chargebacks", "Chargebacks on the account before", "Previous chargebacks on the account"),
    DISTINCT_CARDS_24H("distinct_cards_24h", "Distinct cards used on the account in 24 hours",
            "Several cards tried in 24 hours"),
    SHIPPING_BILLING_DISTANCE_KM("shipping_billing_distance_km", "Distance between shipping and billing address, km",
            "Shipping far from the billing address"),
    PREPAID_CARD("prepaid_card", "Card is prepaid", "Prepaid card"),
    PRIOR_ORDERS("prior_orders", "Completed orders on the account before", "Little purchase history"),
    AMOUNT_TO_AVG_RATIO("amount_to_avg_ratio", "Amount divided by the account's average order",
            "Amount far above the customer's usual"),
    PROXY_IP("proxy_ip", "IP address is a known proxy, VPN or hosting range", "Connection through a proxy or VPN"),
    PASSWORD_RESET_7D("password_reset_7d", "Password reset in the previous 7 days", "Recent password reset");

    private final FeatureDefinition definition;

    PaymentFeature(String name, String description, String reason, String... levels) {
        this.definition = new FeatureDefinition(name, description, reason, List.of(levels));
    }

    public FeatureDefinition definition() {
        return definition;
    }

    /** Column / model feature name. */
    public String featureName() {
        return definition.name();
    }

    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(PaymentFeature::featureName).toList();
    }
}
