package io.vigil.guardrail.rollout.scoring;

/** scoring-service refused a line-up change (4xx): retrying it will not help. {@code detail} is its problem detail. */
public class LineupRefusedException extends RuntimeException {

    private final int status;

    public LineupRefusedException(int status, String detail) {
        super("scoring-service refused the line-up (" + status + "): " + detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
