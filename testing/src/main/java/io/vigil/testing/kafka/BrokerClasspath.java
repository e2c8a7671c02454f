package io.vigil.testing.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the broker classpath written by testing/kafka-dist ({@code target/kafka.classpath}): from the system
 * property {@code vigil.kafka.classpath-file}, else by walking up from the working directory to the repository root.
 */
final class BrokerClasspath {

    static final String PROPERTY = "vigil.kafka.classpath-file";
    private static final Path RELATIVE = Path.of("testing", "kafka-dist", "target", "kafka.classpath");

    private BrokerClasspath() {
    }

    static String locate() {
        String configured = System.getProperty(PROPERTY);
        Path file = configured != null ? Path.of(configured) : search(Path.of("").toAbsolutePath());
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalStateException("Kafka broker classpath not found (" + RELATIVE + " above "
                    + Path.of("").toAbsolutePath() + "); build it with: ./mvnw -B -q -f testing/kafka-dist generate-resources");
        }
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static Path search(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
