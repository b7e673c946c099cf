package org.opentrade.launcher.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromedriver, which the test command installs)
 * driven by Selenium, for the portal's browser tests: pages by path on the all-in-one, waits,
 * screenshots under {@code target/portal-screenshots/}, and the browser console's errors (a test
 * fails on any, CSP violations included).
 */
public final class PortalBrowser implements AutoCloseable {
    /** Where screenshots go: test artefacts, kept after the run. */
    public static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * How often a wait checks its condition: Selenium's default, 500 ms, added up to half a second per
     * step; each check is a round trip to the browser.
     */
    private static final Duration POLL = Duration.ofMillis(100);

    private final ChromeDriver driver;
    private final String base;
    private final Path profile;

    private PortalBrowser(ChromeDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    /** A browser for the portal at {@code base} (e.g. {@code http://127.0.0.1:PORT}), laptop-sized. */
    public static PortalBrowser open(String base) throws IOException {
        Path profile = Files.createTempDirectory("opentrade-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        // The machine's network is closed: no background fetches, no component updates, no sync.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,900",
                "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        return new PortalBrowser(driver, base.endsWith("/") ? base.substring(0, base.length() - 1) : base, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Loads a portal path, e.g. {@code /keys.html}. */
    public PortalBrowser go(String path) {
        driver.get(base + path);
        return this;
    }

    /**
     * Logs the browser in with a session from {@code AllInOneFixture.newSession()}, stored as the portal's
     * log-in stores it (app.js: sessionStorage {@code opentrade.session}); loads {@code /} first.
     */
    public PortalBrowser logInAs(io.vertx.core.json.JsonObject session) {
        go("/");
        driver.executeScript("sessionStorage.setItem('opentrade.session', JSON.stringify({token: arguments[0],"
                + " developerId: arguments[1], email: arguments[2], expiresAt: Date.now() + arguments[3] * 1000}));",
                session.getString("token"), session.getString("developer_id"), session.getString("email"),
                session.getLong("expires_in", 900L));
        return this;
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.pollingEvery(POLL);
        // A live panel re-renders while a condition reads it: check again rather than fail.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Waits until an element is visible. */
    public WebElement visible(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until an element's text contains {@code text}. */
    public WebElement textIn(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by);
    }

    /** Waits for a condition of the page, checked by the driver. */
    public void until(java.util.function.Function<ChromeDriver, Boolean> condition) {
        waiting().until(d -> condition.apply(driver));
    }

    /** Phone-sized (390 × 844) or laptop-sized viewport. */
    public PortalBrowser phone(boolean phone) {
        driver.manage().window().setSize(phone ? new Dimension(390, 844) : new Dimension(1280, 900));
        return this;
    }

    /** Saves a screenshot as {@code target/portal-screenshots/<name>.png}. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The console's errors since the last call (SEVERE entries: script errors, CSP violations, failed loads). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString).toList();
    }

    /**
     * Audits the page with axe-core (portal-static/node_modules/axe-core, a devDependency never shipped),
     * WCAG 2.0/2.1 A and AA rules; the serious and critical violations, as "rule: target, ..." lines.
     * {@code exclude} are CSS selectors of third-party widgets to leave out (their markup is not ours).
     */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityViolations(String... exclude) throws IOException {
        Path axe = org.opentrade.launcher.contract.OpenApiContract.repositoryRoot()
                .resolve("portal-static/node_modules/axe-core/axe.min.js");
        driver.executeScript(Files.readString(axe));
        Object result = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const context = {exclude: arguments[0].map((s) => [s])};"
                // Two frames first: the page marks its scrolling regions focusable on the next frame.
                + "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
                + ".then(() => axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ").then((r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')"
                + ".map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', '))))"
                + ".catch((e) => done(['axe failed: ' + e]));", List.of(exclude));
        return (List<String>) result;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
