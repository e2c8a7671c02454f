package io.vigil.scoring.lineup;

import java.util.List;

/**
 * {@code PUT /lineup}: the whole line-up to serve. {@code shadowModelVersions} null keeps the shadows (less any that
 * become champion or challenger); {@code challengerModelVersion} null serves no challenger; {@code expectedRevision},
 * when given, must be the revision served now (compare-and-set), else 409.
 */
public record LineupChange(String championModelVersion, String challengerModelVersion, Double challengerShare,
        List<String> shadowModelVersions, String policyVersion, String reason, String expectedRevision) {
}
