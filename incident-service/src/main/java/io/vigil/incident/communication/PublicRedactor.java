package io.vigil.incident.communication;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The second line of defence for public text. The first is the allow-list: public drafts, the status page and its
 * feeds are rendered only from {@link PublicIncidentView}, which carries no internal field at all. The one free text
 * that reaches the public (an operator's update for the public status page) passes through {@link #scrub}, which
 * replaces anything shaped like an internal reference or personal data with {@value #REDACTED}: UUIDs and other
 * identifiers with digits in them (rollout ids, model and policy versions), e-mail addresses, URLs, IP addresses,
 * runs of digits (card numbers, phone numbers, account ids), age ranges and other cohort definitions, key=value
 * pairs. It over-redacts by design: a public sentence loses a number rather than leak one.
 */
public final class PublicRedactor {

    public static final String REDACTED = "[redacted]";

    private static final List<Pattern> RULES = List.of(
            // URLs and e-mail addresses first: they contain the shapes the later rules would split.
            Pattern.compile("(?i)\\b(?:https?|ftp)://\\S+"),
            Pattern.compile("(?i)[A-Z0-9._%+-]+@[A-Z0-9.-]+\\.[A-Z]{2,}"),
            // UUIDs, hex ids.
            Pattern.compile("(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b"),
            Pattern.compile("(?i)\\b[0-9a-f]{12,}\\b"),
            // IPv4 and IPv6 addresses.
            Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b"),
            Pattern.compile("(?i)\\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\\b"),
            // key=value / key: value pairs (cohort definitions like age_band=18-24, region:CA).
            Pattern.compile("(?i)\\b[a-z_][a-z0-9_.-]*\\s*(?:=|:)\\s*[^\\s,;]+"),
            // Cohort wording: "aged 18-24", "age 18 to 24", "users 18–24", "age band 18_24".
            Pattern.compile("(?i)\\b(?:aged?|age[ _-]?band|ages|cohort|segment)\\b[^.;,\\n]*"),
            Pattern.compile("\\b\\d{1,3}\\s*(?:-|–|—|to|_)\\s*\\d{1,3}\\b"),
            // Identifiers: a token of letters joined to digits, or with a version shape (rollout-42, xgb-v12,
            // model_v2.3, r7, v1.4.2, policy#9).
            Pattern.compile("(?i)\\b[a-z][a-z0-9]*[-_#/.:]+[a-z0-9._#/:-]*\\d[a-z0-9._#/:-]*"),
            Pattern.compile("(?i)\\b[a-z]+\\d[a-z0-9]*\\b"),
            Pattern.compile("(?i)\\bv\\d+(?:\\.\\d+)*\\b"),
            // Card numbers, phone numbers, account ids: any digit run of 5 or more, spaces or dashes allowed.
            Pattern.compile("\\+?\\d(?:[ -]?\\d){4,}"));

    private PublicRedactor() {
    }

    public static String scrub(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (Pattern rule : RULES) {
            out = rule.matcher(out).replaceAll(REDACTED);
        }
        // Collapse runs such as "[redacted] [redacted]" into one marker.
        return out.replaceAll("(?:\\[redacted\\][\\s,;]*){2,}", REDACTED + " ").trim();
    }
}
