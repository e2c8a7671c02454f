package io.vigil.scoring.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.scoring.v1.RiskScoringService;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.scoring.Scorer;

/** vigil.scoring.v1.RiskScoringService on the HTTP port; runs on the event loop, never blocks. */
@GrpcService
class ScoringEndpoint implements RiskScoringService {

    private final Scorer scorer;

    ScoringEndpoint(Scorer scorer) {
        this.scorer = scorer;
    }

    @Override
    public Uni<ScoreResponse> score(ScoreRequest request) {
        return scorer.score(request);
    }
}
