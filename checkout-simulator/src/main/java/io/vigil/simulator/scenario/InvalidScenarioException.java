package io.vigil.simulator.scenario;

/** A scenario file the simulator refuses, before anything is sent: names the field and its line. */
public final class InvalidScenarioException extends RuntimeException {

    private final String field;
    private final int line;

    public InvalidScenarioException(String field, int line, String problem) {
        super("line " + line + ": " + field + ": " + problem);
        this.field = field;
        this.line = line;
    }

    public String field() {
        return field;
    }

    public int line() {
        return line;
    }
}
