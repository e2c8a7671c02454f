package io.vigil.incident.status;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The status page's components and their public names: {@code checkout-risk-scoring}, {@code step-up},
 * {@code payments-<region>}. Only these shapes are public; anything else an incident lists is internal and never
 * shown.
 */
public final class Components {

    public static final String CHECKOUT_RISK_SCORING = "checkout-risk-scoring";
    public static final String STEP_UP = "step-up";
    private static final Pattern PAYMENTS = Pattern.compile("payments-([a-z]{2,12}(?:-[a-z0-9]{1,10})?)");

    private Components() {
    }

    /** The public name of a component, or empty when the id is not a public component. */
    public static Optional<String> publicName(String id) {
        if (CHECKOUT_RISK_SCORING.equals(id)) {
            return Optional.of("Checkout risk scoring");
        }
        if (STEP_UP.equals(id)) {
            return Optional.of("Step-up verification");
        }
        var m = PAYMENTS.matcher(id == null ? "" : id);
        if (m.matches()) {
            return Optional.of("Payments (" + m.group(1).toUpperCase(Locale.ROOT) + ")");
        }
        return Optional.empty();
    }

    /** The page's components: the fixed two, the configured regions, and any other public one incidents name. */
    public static List<String> catalogue(List<String> regions, List<String> named) {
        Set<String> out = new LinkedHashSet<>();
        out.add(CHECKOUT_RISK_SCORING);
        out.add(STEP_UP);
        for (String r : regions) {
            out.add("payments-" + r.trim().toLowerCase(Locale.ROOT));
        }
        for (String c : named) {
            if (publicName(c).isPresent()) {
                out.add(c);
            }
        }
        return new ArrayList<>(out.stream().filter(c -> publicName(c).isPresent()).toList());
    }
}
