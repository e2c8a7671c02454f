package io.vigil.eventing;

/** A received record that does not follow the Vigil CloudEvents convention; names the offending header. */
public class InvalidCloudEventException extends RuntimeException {

    private final String header;

    public InvalidCloudEventException(String header, String problem) {
        super("CloudEvents header " + header + ": " + problem);
        this.header = header;
    }

    public String header() {
        return header;
    }
}
