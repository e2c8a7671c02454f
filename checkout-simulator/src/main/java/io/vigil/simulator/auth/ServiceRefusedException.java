package io.vigil.simulator.auth;

/**
 * A service answered one of the simulator's REST calls with 401 or 403: its token is missing, not accepted, or lacks
 * the role. Every later call would be refused the same way, so the run stops and says which call and which status.
 * The message never holds the token.
 */
public final class ServiceRefusedException extends RuntimeException {

    private final String call;
    private final int status;

    /**
     * @param service the service, e.g. {@code feature-service}
     * @param call    method and path, e.g. {@code POST /features/batch}
     * @param status  401 or 403
     * @param token   which token the call carried, e.g. {@code producer}
     */
    public ServiceRefusedException(String service, String call, int status, String token) {
        super(service + " refused " + call + ": HTTP " + status + (status == 401
                ? " Unauthorized (the " + token + " token is not accepted: expired, from another issuer, or not signed "
                        + "by the key the service trusts)"
                : " Forbidden (the " + token + " token's role does not allow this call)"), null, false, false);
        this.call = call;
        this.status = status;
    }

    /** True for the statuses that mean the token, not the request, was refused. */
    public static boolean isAuthStatus(int status) {
        return status == 401 || status == 403;
    }

    public String call() {
        return call;
    }

    public int status() {
        return status;
    }
}
