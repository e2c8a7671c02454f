package io.vigil.scoring.decisions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClaimBreakerTest {

    @Test
    void shouldOpenAfterTheThresholdOfFailuresInARowAndReportTheOpeningOnce() {
        ClaimBreaker breaker = new ClaimBreaker(3);
        assertFalse(breaker.failed());
        assertFalse(breaker.failed());
        assertFalse(breaker.isOpen());
        assertTrue(breaker.failed(), "the third failure in a row opens it");
        assertTrue(breaker.isOpen());
        assertFalse(breaker.failed(), "already open: not reported again");
    }

    @Test
    void shouldKeepAskingASlowDatabaseThatStillAnswersSometimes() {
        ClaimBreaker breaker = new ClaimBreaker(3);
        for (int i = 0; i < 10; i++) {
            breaker.failed();
            breaker.failed();
            breaker.succeeded();
        }
        assertFalse(breaker.isOpen());
    }

    @Test
    void shouldCloseOnTheFirstAnswer() {
        ClaimBreaker breaker = new ClaimBreaker(1);
        assertTrue(breaker.failed());
        breaker.succeeded();
        assertFalse(breaker.isOpen());
        assertTrue(breaker.failed(), "counting starts again from zero");
    }
}
