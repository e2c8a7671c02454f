package io.vigil.incident.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.incident.communication.ControllableCommunicationClock;
import io.vigil.incident.communication.TestIncidents;
import io.vigil.testing.quarkus.VigilInfrastructure;

/**
 * The status page in a real browser: Debian's Chromium, headless, driven through chromedriver by Selenium against the
 * running service. It renders, shows the incident and the component's outage, and its screenshot is kept as
 * {@code target/status-page.png}. Without a browser this test FAILS (it never skips): {@code ./bin/vigil test} says so
 * up front and names the apt command.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class StatusPageBrowserTest {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("VIGIL_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("VIGIL_CHROMEDRIVER", "/usr/bin/chromedriver"));

    @Inject
    ControllableCommunicationClock clock;
    @Inject
    StatusBoard board;

    @AfterEach
    void wallTime() {
        clock.set(null);
    }

    @Test
    void shouldRenderTheIncidentInARealBrowserAndKeepAScreenshot() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "NO BROWSER: the status page is tested in headless Chromium; missing " + CHROMIUM + " or "
                        + CHROMEDRIVER + ". Install: sudo apt-get install -y chromium chromium-driver");

        Instant t0 = Instant.parse("2033-01-10T09:00:00Z");
        clock.set(t0);
        board.refresh().await().indefinitely();
        UUID id = TestIncidents.open("Step-up failures for rollout-9", "SEV1", t0, "step-up", 100, 200, 5000, 0.02);
        clock.set(t0.plus(Duration.ofMinutes(1)));
        board.refresh().await().indefinitely();
        clock.set(t0.plus(Duration.ofMinutes(4)));
        board.refresh().await().indefinitely(); // the outage has held past the 2-minute hold

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1200,1400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
            browser.get("http://127.0.0.1:" + port + "/status");
            assertEquals("Vigil payments status", browser.getTitle());
            WebElement stepUp = browser.findElement(By.cssSelector("#components tr[data-component='step-up']"));
            assertEquals("MAJOR_OUTAGE", stepUp.getDomAttribute("data-status"));
            assertTrue(stepUp.getText().contains("Major outage"), stepUp.getText());
            List<WebElement> incidents = browser.findElements(By.cssSelector("#incidents .incident"));
            assertTrue(incidents.stream().anyMatch(e -> e.getText()
                    .contains("Investigating degraded service affecting Step-up verification")),
                    browser.findElement(By.id("incidents")).getText());
            assertTrue(browser.findElement(By.id("overall")).isDisplayed());
            Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Path kept = Path.of("target", "status-page.png");
            Files.createDirectories(kept.getParent());
            Files.copy(screenshot, kept, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(kept) > 1000, "screenshot is empty");
        } finally {
            browser.quit();
            TestIncidents.set(id, "state", "RESOLVED");
        }
    }
}
