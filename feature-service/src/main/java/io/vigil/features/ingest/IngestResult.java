package io.vigil.features.ingest;

import java.util.List;

/**
 * What an ingest call did.
 *
 * @param applied updates judged and written (their event id was new)
 * @param duplicates updates skipped because their event id was already processed (a replay)
 * @param accepted values stored as ACCEPT
 * @param flagged values stored as FLAG
 * @param rejected values quarantined
 * @param judged the applied updates with their verdicts and drift
 */
public record IngestResult(int applied, int duplicates, long accepted, long flagged, long rejected, List<Judged> judged) {
}
