package io.vigil.simulator.arms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.simulator.scenario.Scenario;
import io.vigil.simulator.scenario.ScenarioChange;
import io.vigil.simulator.scenario.ScenarioLoader;

/**
 * Calibration of scenario {@code launch-failure} (seed 001: checkout conversion 71.0% -> 69.6% on the challenger's
 * traffic, a 1.4 pp drop): with the real model files, the simulator's population (seed fixed) and outcome model, and
 * scoring's default decision path ({@link ArmConversion}), the challenger's arm must convert 0.8 to 2.2 pp less than
 * the champion's once account_age_days arrives defaulted for social logins, and about as well before (within
 * 0.5 pp: it steps up fewer checkouts, so it converts slightly more). Prints the
 * figures; the README quotes them.
 */
class LaunchFailureArmsTest {

    static final Path MODELS = Path.of("..", "models");
    static final long SEED = 42;
    static final int CHECKOUTS = 100_000;
    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    static Scenario scenario;
    static TreeEnsemble champion;
    static TreeEnsemble challenger;
    static String challengerPath;

    @BeforeAll
    static void load() throws Exception {
        scenario = ScenarioLoader.load("launch-failure", Path.of("scenarios"));
        for (ScenarioChange c : scenario.changes()) {
            if (c.challenger() != null && c.challenger().registerPath() != null) {
                challengerPath = c.challenger().registerPath();
            }
        }
        assertNotNull(challengerPath, "launch-failure registers its challenger from a model file");
        XGBoostJsonLoader loader = new XGBoostJsonLoader();
        champion = loader.load(MODELS.resolve("default/model.json"));
        challenger = loader.load(MODELS.resolve(challengerPath));
    }

    @Test
    void theChallengerArmConvertsAboutOnePointFourPointsLessAfterTheSchemaChange() {
        ArmConversion arms = new ArmConversion(scenario, ArmConversion.Policy.SCORING_DEFAULT, SEED);
        // +2h: the schema change (from +1h) is in force and the challenger is at 50%.
        ArmConversion.Result a = arms.run("champion default", champion, Duration.ofHours(2), START, CHECKOUTS);
        ArmConversion.Result b = arms.run("challenger " + challengerPath, challenger, Duration.ofHours(2), START,
                CHECKOUTS);
        double gap = print("after the schema change (+2h)", a, b);

        assertEquals(a.socialCheckouts(), b.socialCheckouts(), "both arms are played on the same checkouts");
        assertTrue(a.conversion() > 0.85 && a.conversion() < 0.97, "champion conversion " + a.conversion());
        assertTrue(gap >= 0.008 && gap <= 0.022, "challenger arm's conversion drop, in pp: " + 100 * gap
                + " (seed 001: 1.4, band 0.8-2.2)");
        // The drop comes from the social logins (the segment whose account_age_days is defaulted).
        double socialGap = a.socialConversion() - b.socialConversion();
        assertTrue(socialGap > 2 * gap, "social-login drop " + 100 * socialGap + " pp vs whole arm " + 100 * gap);
    }

    @Test
    void beforeTheSchemaChangeBothArmsConvertAlike() {
        ArmConversion arms = new ArmConversion(scenario, ArmConversion.Policy.SCORING_DEFAULT, SEED);
        // +0h: the challenger is live at 10%, account_age_days still arrives with its real value.
        ArmConversion.Result a = arms.run("champion default", champion, Duration.ZERO, START, CHECKOUTS);
        ArmConversion.Result b = arms.run("challenger " + challengerPath, challenger, Duration.ZERO, START, CHECKOUTS);
        double gap = print("before the schema change (+0h)", a, b);
        assertTrue(Math.abs(gap) < 0.005, "arms before the schema change differ by " + 100 * gap + " pp");
    }

    private static double print(String when, ArmConversion.Result a, ArmConversion.Result b) {
        System.out.printf(Locale.ROOT, "launch-failure, %s, %,d checkouts, seed %d%n", when, a.checkouts(), SEED);
        for (ArmConversion.Result r : new ArmConversion.Result[] {a, b}) {
            System.out.printf(Locale.ROOT,
                    "  %-45s conversion %.2f%% (social logins %.2f%%), approve %.2f%% step-up %.2f%% review %.2f%% "
                            + "decline %.2f%%, insufficient data %.2f%%%n",
                    r.model(), 100 * r.conversion(), 100 * r.socialConversion(), 100 * r.share(Decision.DECISION_APPROVE),
                    100 * r.share(Decision.DECISION_STEP_UP), 100 * r.share(Decision.DECISION_REVIEW),
                    100 * r.share(Decision.DECISION_DECLINE), 100.0 * r.insufficientData() / r.checkouts());
        }
        double gap = a.conversion() - b.conversion();
        System.out.printf(Locale.ROOT, "  gap (champion - challenger): %.2f pp (social logins %.2f pp)%n", 100 * gap,
                100 * (a.socialConversion() - b.socialConversion()));
        return gap;
    }
}
