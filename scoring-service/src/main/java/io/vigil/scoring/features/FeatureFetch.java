package io.vigil.scoring.features;

import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.scoring.v1.FallbackCause;

/**
 * What the feature call came back with: the response, or why there is none. Never an exception: a failed feature
 * call is an expected outcome on the scoring path.
 *
 * @param response the answer, or null
 * @param cause    FALLBACK_CAUSE_NONE when the response is there, else FEATURE_TIMEOUT or FEATURE_UNAVAILABLE
 * @param nanos    how long the call took
 */
public record FeatureFetch(GetFeaturesResponse response, FallbackCause cause, long nanos) {

    public boolean ok() {
        return response != null;
    }
}
