package io.vigil.training.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.training.ModelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    @TempDir
    Path dir;

    private int cli(String... args) {
        return ModelCli.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void shouldWriteTheSameFileForTheSameSeedWhateverTheThreads() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        assertEquals(0, cli("generate", "--rows", "40000", "--seed", "9", "--out", a.toString(), "--threads", "1"));
        assertEquals(0, cli("generate", "--rows", "40000", "--seed", "9", "--out", b.toString(), "--threads", "2"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        List<String> lines = Files.readAllLines(a);
        assertEquals(40_001, lines.size());
        String header = lines.get(0);
        for (String feature : PaymentFeature.names()) {
            assertTrue(header.contains("," + feature + ","), feature);
        }
        assertTrue(header.endsWith("fraud_probability,is_fraud,chargeback,chargeback_delay_days,stepup_outcome"));
    }

    @Test
    void shouldInjectScenarioKnobsAndGzip() throws Exception {
        Path out = dir.resolve("scenario.csv.gz");
        assertEquals(0, cli("generate", "--rows", "5000", "--seed", "9", "--out", out.toString(),
                "--default-field", "account_age_days=0@login_method=social",
                "--cohort-risk", "country=CA,customer_age_band=18-24:1.55"));
        String text;
        try (var in = new GZIPInputStream(Files.newInputStream(out))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        List<String> header = List.of(lines[0].split(","));
        int login = header.indexOf("login_method");
        int age = header.indexOf("account_age_days");
        int social = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells[login].equals("1")) {
                social++;
                assertEquals("0", cells[age]);
            }
        }
        assertTrue(social > 1000);
    }

    @Test
    void shouldRejectBadKnobsAsUsageErrors() {
        assertEquals(2, cli("generate", "--rows", "10", "--out", dir.resolve("x.csv").toString(),
                "--cohort-risk", "country=Atlantis:2"));
        assertEquals(2, cli("generate", "--rows", "0", "--out", dir.resolve("x.csv").toString()));
        assertEquals(2, cli("generate", "--rows", "10", "--out", dir.resolve("x.csv").toString(),
                "--missingness", "some"));
        assertEquals(2, cli("generate", "--rows", "10", "--out", dir.resolve("x.csv").toString(),
                "--missingness", "0.8,0.01,0.5,2"));
    }

    @Test
    void shouldEmitTheStoresGapsAsEmptyCellsUnlessToldNone() throws Exception {
        Path realistic = dir.resolve("realistic.csv");
        Path none = dir.resolve("none.csv");
        assertEquals(0, cli("generate", "--rows", "20000", "--seed", "9", "--out", realistic.toString()));
        assertEquals(0, cli("generate", "--rows", "20000", "--seed", "9", "--out", none.toString(),
                "--missingness", "none"));
        assertTrue(emptyAccountAges(realistic) > 100, "accounts the store lacks: account_age_days empty");
        assertEquals(0, emptyAccountAges(none));
    }

    private static int emptyAccountAges(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int age = List.of(lines.get(0).split(",")).indexOf("account_age_days");
        int empty = 0;
        for (int i = 1; i < lines.size(); i++) {
            empty += lines.get(i).split(",", -1)[age].isEmpty() ? 1 : 0;
        }
        return empty;
    }
}
