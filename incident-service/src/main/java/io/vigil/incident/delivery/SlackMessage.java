package io.vigil.incident.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Slack-compatible webhook payload: {@code text} (the notification fallback) and {@code blocks} (a header and
 * mrkdwn sections), so a Slack incoming-webhook URL can be a subscriber as is; {@code vigil} carries the typed event for
 * receivers that are not Slack.
 */
public record SlackMessage(String text, List<Map<String, Object>> blocks, Map<String, Object> vigil) {

    public static SlackMessage of(String headline, List<String> sections, Map<String, Object> vigil) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", truncate(headline, 150))));
        for (String section : sections) {
            // Slack refuses a section text over 3000 characters.
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", truncate(section, 3000))));
        }
        return new SlackMessage(headline, List.copyOf(blocks), vigil);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
