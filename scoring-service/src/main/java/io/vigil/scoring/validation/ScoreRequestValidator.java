package io.vigil.scoring.validation;

import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.ScoreRequest;

/**
 * Checks a ScoreRequest before any work is done. Returns the first problem, naming the proto field, or null. The
 * happy path allocates nothing: checks are plain char tests and set lookups of strings the request already holds.
 */
public final class ScoreRequestValidator {

    /** Above this (in minor units, i.e. 100 million major units) an amount is a bug, not a payment. */
    public static final long MAX_AMOUNT_MINOR = 10_000_000_000L;
    static final int MAX_ID_LENGTH = 128;

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    public InvalidField validate(ScoreRequest r) {
        InvalidField f = id("transaction_id", r.getTransactionId());
        if (f != null) {
            return f;
        }
        f = id("account_id", r.getAccountId());
        if (f != null) {
            return f;
        }
        if (!r.hasAmount()) {
            return new InvalidField("amount", "is required");
        }
        long minor = r.getAmount().getAmountMinor();
        if (minor <= 0) {
            return new InvalidField("amount.amount_minor", "must be positive");
        }
        if (minor > MAX_AMOUNT_MINOR) {
            return new InvalidField("amount.amount_minor", "exceeds the maximum of " + MAX_AMOUNT_MINOR);
        }
        String currency = r.getAmount().getCurrency();
        if (!upperLetters(currency, 3)) {
            return new InvalidField("amount.currency", "must be an ISO 4217 code of 3 uppercase letters");
        }
        if (!CURRENCIES.contains(currency)) {
            return new InvalidField("amount.currency", "is not a known ISO 4217 currency");
        }
        if (r.getMerchantId().length() > MAX_ID_LENGTH) {
            return new InvalidField("merchant_id", "is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!digits(r.getMerchantCategoryCode(), 4)) {
            return new InvalidField("merchant_category_code", "must be 4 digits (ISO 18245)");
        }
        if (r.getChannel() == Channel.CHANNEL_UNSPECIFIED || r.getChannel() == Channel.UNRECOGNIZED) {
            return new InvalidField("channel", "must be CHANNEL_WEB, CHANNEL_APP or CHANNEL_VOICE");
        }
        f = country("card_bin_country", r.getCardBinCountry());
        if (f != null) {
            return f;
        }
        String bin = r.getCardBin();
        if (!bin.isEmpty() && !digits(bin, 6) && !digits(bin, 8)) {
            // Never more than the BIN: a longer number could be a card number, which must not enter events or logs.
            return new InvalidField("card_bin", "must be the card's first 6 or 8 digits, nothing more");
        }
        f = country("ip_country", r.getIpCountry());
        if (f != null) {
            return f;
        }
        f = country("billing_country", r.getBillingCountry());
        if (f != null) {
            return f;
        }
        String region = r.getBillingRegion();
        if (!region.isEmpty() && !(region.length() <= 3 && upperAlnum(region))) {
            return new InvalidField("billing_region", "must be an ISO 3166-2 subdivision code (1-3 uppercase letters or digits)");
        }
        if (r.getDeviceId().length() > MAX_ID_LENGTH) {
            return new InvalidField("device_id", "is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (r.getAvsResultValue() < 0 || r.getAvsResult() == io.vigil.contracts.scoring.v1.AvsResult.UNRECOGNIZED) {
            return new InvalidField("avs_result", "is not a known AvsResult");
        }
        if (r.getCvvResult() == io.vigil.contracts.scoring.v1.CvvResult.UNRECOGNIZED) {
            return new InvalidField("cvv_result", "is not a known CvvResult");
        }
        if (r.hasShippingBillingDistanceKm()) {
            double d = r.getShippingBillingDistanceKm();
            if (!(d >= 0.0 && d <= 40_100.0)) {
                return new InvalidField("shipping_billing_distance_km", "must be between 0 and 40100 km");
            }
        }
        if (r.hasCreatedAt() && (r.getCreatedAt().getNanos() < 0 || r.getCreatedAt().getNanos() > 999_999_999
                || r.getCreatedAt().getSeconds() < 0)) {
            return new InvalidField("created_at", "is not a valid timestamp");
        }
        return null;
    }

    private static InvalidField id(String field, String value) {
        if (value.isEmpty()) {
            return new InvalidField(field, "is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            return new InvalidField(field, "is longer than " + MAX_ID_LENGTH + " characters");
        }
        return null;
    }

    private static InvalidField country(String field, String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (!upperLetters(value, 2)) {
            return new InvalidField(field, "must be an ISO 3166-1 alpha-2 code of 2 uppercase letters");
        }
        if (!COUNTRIES.contains(value)) {
            return new InvalidField(field, "is not a known ISO 3166-1 country");
        }
        return null;
    }

    private static boolean upperLetters(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static boolean upperAlnum(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
