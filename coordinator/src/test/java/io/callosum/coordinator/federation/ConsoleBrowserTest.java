package io.callosum.coordinator.federation;

import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.IssuedToken;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.registry.StorageSettings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The admin console in the system's headless Chromium: an admin logs in, watches a running federation of scripted
 * sites advance round by round without reloading, stops it, revokes a token and finds the revocation in the
 * verified audit log, excludes a site and finds it marked and audited, and sees the versions' download links.
 * Screenshots land in {@code target/console-screenshots}.
 */
@QuarkusTest
class ConsoleBrowserTest extends FederationTestBase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource("/console/")
    URL console;

    @Inject
    StorageSettings storage;

    @Inject
    ApiTokens tokens;

    private final List<AutoCloseable> open = new ArrayList<>();
    private WebDriver browser;

    @BeforeEach
    void browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the console test needs the system browser: " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian:"
                    + " apt-get install -y chromium chromium-driver, which .ci/run does on a fresh machine)");
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            screenshot("last");
            browser.quit();
        }
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void anAdminWatchesAFederationAdvanceStopsItRevokesATokenAndExcludesASite() throws Exception {
        FederationPlan plan = plan("console", FederationKind.JEPA, 50, 3, Duration.ofSeconds(30), 1);
        TensorSet model = threeModalityModel();
        Set<Modality> all = EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<String> sites = List.of("console-a-" + suffix, "console-b-" + suffix, "console-c-" + suffix);
        for (String name : sites) {
            ScriptedSite site = new ScriptedSite(name, all, model, 1f, 10, port, storage.maxMessageBytes())
                    .slowBy(300);
            open.add(site);
            open.add(new ScriptedParticipant(port, site));
        }
        awaitConnected(participants, 3);
        federations.start(plan);
        IssuedToken token = tokens.create("browser-test", EnumSet.of(Scope.EMBED), "test");

        browser.get(console.toString());
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name"))).sendKeys("admin");
        browser.findElement(By.id("login-password")).sendKeys("test-admin-password");
        browser.findElement(By.id("login-submit")).click();

        By progress = By.cssSelector(".federation[data-name='" + plan.name() + "'] .progress");
        int first = wait.until(d -> completedRounds(d, progress, 1));
        screenshot("1-federation-running");
        int later = wait.until(d -> completedRounds(d, progress, first + 2));
        assertTrue(later >= first + 2, "progress advanced from " + first + " to " + later + " without a reload");
        screenshot("2-federation-advanced");

        browser.findElement(By.cssSelector(".federation[data-name='" + plan.name() + "'] button.stop")).click();
        wait.until(ExpectedConditions.textToBe(
                By.cssSelector(".federation[data-name='" + plan.name() + "'] .status"), "cancelled"));
        assertEquals("cancelled", records.find(plan.name()).orElseThrow().status());
        screenshot("3-federation-stopped");

        browser.findElement(By.cssSelector("nav a[data-page='tokens']")).click();
        By row = By.cssSelector("tr[data-token-id='" + token.token().id() + "']");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-token-id='" + token.token().id()
                + "'] button.revoke"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "revoked by admin"));
        screenshot("4-token-revoked");

        browser.findElement(By.cssSelector("nav a[data-page='audit']")).click();
        By revocation = By.xpath("//tbody[@id='audit']/tr[td[@class='audit-subject' and text()='token-"
                + token.token().id() + "'] and td[@class='audit-action' and text()='token.revoked']]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(revocation));
        WebElement chain = browser.findElement(By.id("chain-status"));
        assertTrue(chain.getText().startsWith("hash chain verified"), chain.getText());
        screenshot("5-audit-entry");

        String excluded = sites.get(0);
        browser.findElement(By.cssSelector("nav a[data-page='sites']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("action-reason"))).sendKeys("site asked for a"
                + " pause");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-site='" + excluded
                + "'] button.exclude"))).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("tr[data-site='" + excluded + "'] .site-status"),
                "excluded by admin: site asked for a pause"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-site='" + excluded + "']")).getAttribute("class")
                .contains("excluded"), "the row is marked excluded");
        assertTrue(browser.findElements(By.cssSelector("tr[data-site='" + sites.get(1) + "'] button.include"))
                .isEmpty(), "only the excluded site can be re-included");
        screenshot("6-site-excluded");

        browser.findElement(By.cssSelector("nav a[data-page='audit']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//tbody[@id='audit']/tr[td[@class="
                + "'audit-subject' and text()='" + excluded + "'] and td[@class='audit-action' and"
                + " text()='site.excluded']]")));
        screenshot("7-exclusion-audited");

        browser.findElement(By.cssSelector("nav a[data-page='models']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#models a.download-npz")));
        screenshot("8-models-with-downloads");
    }

    /** The completed rounds the page shows, once they reach {@code atLeast}; null (keep waiting) before. */
    private static Integer completedRounds(WebDriver browser, By progress, int atLeast) {
        List<WebElement> found = browser.findElements(progress);
        if (found.isEmpty()) {
            return null;
        }
        String shown = found.get(0).getText();
        int completed = Integer.parseInt(shown.substring(0, shown.indexOf(' ')));
        return completed >= atLeast ? completed : null;
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
