package io.vigil.guardrail.evaluation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * How fraud labels arrive after a payment, and when a vintage's labels are complete enough to judge: the share of a
 * vintage's fraud labels expected by each age (a chargeback comes up to 120 days later, a fraud report sooner),
 * linear between the points given, 0 at age 0 and the last share from the last point on; a vintage counts as mature
 * once the share expected by its age reaches {@code matureShare}.
 *
 * <p>Written as {@code P7D=0.5,P30D=0.8,P60D=0.93,P120D=1} (ISO-8601 ages, increasing; shares in [0, 1], never
 * falling), e.g. from {@code guardrail.labels.maturity}.
 */
public final class LabelMaturity {

    /** Labels known at once: every vintage is mature. For tests of other metrics and topologies without labels. */
    public static final LabelMaturity IMMEDIATE = new LabelMaturity(new long[] {0}, new double[] {1}, 1, "PT0S=1");

    private final long[] ages;
    private final double[] shares;
    private final double matureShare;
    private final String text;

    private LabelMaturity(long[] ages, double[] shares, double matureShare, String text) {
        this.ages = ages;
        this.shares = shares;
        this.matureShare = matureShare;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong with the distribution or the threshold */
    public static LabelMaturity parse(String distribution, double matureShare) {
        if (!(matureShare > 0 && matureShare <= 1)) {
            throw new IllegalArgumentException("mature share must lie in (0, 1], got " + matureShare);
        }
        List<long[]> points = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String raw : distribution.split(",")) {
            String point = raw.strip();
            int eq = point.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("label maturity point '" + point + "' is not AGE=SHARE, e.g. P30D=0.8");
            }
            long age;
            double share;
            try {
                age = Duration.parse(point.substring(0, eq).strip()).toMillis();
                share = Double.parseDouble(point.substring(eq + 1).strip());
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new IllegalArgumentException("label maturity point '" + point + "' is not AGE=SHARE, e.g. P30D=0.8");
            }
            if (age < 0 || !(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("label maturity point '" + point
                        + "': the age must not be negative and the share must lie in [0, 1]");
            }
            if (!points.isEmpty() && (age <= points.get(points.size() - 1)[0] || share < values.get(values.size() - 1))) {
                throw new IllegalArgumentException("label maturity point '" + point
                        + "': ages must increase and shares must not fall");
            }
            points.add(new long[] {age});
            values.add(share);
        }
        if (values.get(values.size() - 1) < matureShare) {
            throw new IllegalArgumentException("label maturity '" + distribution + "' never reaches the mature share "
                    + matureShare + ": no vintage would ever be judged");
        }
        long[] a = new long[points.size()];
        double[] s = new double[points.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = points.get(i)[0];
            s[i] = values.get(i);
        }
        return new LabelMaturity(a, s, matureShare, distribution.strip());
    }

    /** The share of a vintage's fraud labels expected to have arrived by {@code ageMillis} after its payments. */
    public double expectedShare(long ageMillis) {
        if (ageMillis <= 0) {
            return ages[0] == 0 ? shares[0] : 0;
        }
        long previousAge = 0;
        double previousShare = 0;
        for (int i = 0; i < ages.length; i++) {
            if (ageMillis == ages[i]) {
                return shares[i];
            }
            if (ageMillis < ages[i]) {
                return ages[i] == previousAge ? shares[i]
                        : previousShare + (shares[i] - previousShare) * (ageMillis - previousAge) / (ages[i] - previousAge);
            }
            previousAge = ages[i];
            previousShare = shares[i];
        }
        return shares[shares.length - 1];
    }

    /** Whether a vintage of this age is judged: its expected label share has reached the mature share. */
    public boolean mature(long ageMillis) {
        return expectedShare(ageMillis) >= matureShare;
    }

    public double matureShare() {
        return matureShare;
    }

    @Override
    public String toString() {
        return text + " (mature at " + matureShare + ")";
    }
}
