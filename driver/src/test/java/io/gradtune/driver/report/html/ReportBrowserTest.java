package io.gradtune.driver.report.html;

import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * report.html in a real browser: Debian's headless {@code chromium} through {@code chromedriver}, both from
 * /usr/bin (.ci/run installs them when missing; {@code -Dgradtune.browser.skip=true} skips this test). A real small
 * study (Spark local, embedded Kafka, DL4J) runs with {@code --ui-port}: the live page shows a new epoch without a
 * reload. Then its report.html: every chart has data points, no console errors, sorting and the stop-reason hover
 * text work, screenshots (target/report-*.png) are not blank, and at phone width the page does not overflow.
 */
class ReportBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path dir;

    @Test
    void liveViewThenReportInChromium() throws Exception {
        requireBrowser();
        Path config = DigitsStudy.named("browser").trials(4).epochs(10)
                .earlyStopping("{plateau: {patience: 2, min_delta: 0.01}, asha: false}").write(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path runs = dir.resolve("runs");
        Path report = runs.resolve("browser").resolve(HtmlReport.FILE);
        System.setProperty("gradtune.report.intervalSeconds", "1"); // the periodic rewrite, read by LiveReport.start
        CompletableFuture<Cli> study = CompletableFuture.supplyAsync(() -> Cli.run("run", config.toString(),
                "--output", runs.toString(), "--ui-port", String.valueOf(port)));
        ChromeDriver browser = browser(1280, 800);
        try {
            // Live: the page loads while the study runs, and a new epoch arrives without a reload.
            String url = "http://127.0.0.1:" + port + "/";
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest data = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "data.json"))
                    .timeout(Duration.ofSeconds(5)).build();
            boolean live = awaitTrue(() -> {
                if (study.isDone()) {
                    return true;
                }
                try {
                    return http.send(data, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }, 90) && !study.isDone();
            browser.manage().logs().get(LogType.BROWSER); // from here on, every console message counts
            browser.get(url);
            live = live && await(browser, "return window.gradtuneModel ? window.gradtuneModel().live : false", 20);
            assertTrue(live, "the live page came up while the study ran; study: " + (study.isDone() ? study.get() : "running"));
            JavascriptExecutor js = browser;
            js.executeScript("window.__sameDocument = true;");
            long first = ((Number) js.executeScript("return window.gradtuneModel().epochRecords")).longValue();
            assertTrue(awaitTrue(() -> ((Number) js.executeScript("return window.gradtuneModel().epochRecords"))
                    .longValue() > first, 60), "a new epoch record appeared in the live page (from " + first + ")");
            assertEquals(Boolean.TRUE, js.executeScript("return window.__sameDocument === true"), "without a reload");
            assertNoConsoleErrors(browser, "live page");
            assertTrue(awaitTrue(() -> Files.exists(report) || study.isDone(), 30) && Files.exists(report),
                    "report.html rewritten while the study runs");


            Cli result = study.get(120, TimeUnit.SECONDS);
            assertEquals(0, result.code(), result.out() + result.err());
            assertTrue(Files.exists(report), "report.html at the end of the run: " + result.out());

            // The finished report, opened from the file.
            browser.get(report.toUri().toString());
            assertTrue(await(browser, "return window.gradtuneChartStats && window.gradtuneChartStats().length > 0", 20));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> stats = (List<Map<String, Object>>) js.executeScript("return window.gradtuneChartStats()");
            List<String> ids = new ArrayList<>();
            for (Map<String, Object> c : stats) {
                ids.add((String) c.get("id"));
                assertTrue(((Number) c.get("points")).longValue() > 0, "chart " + c + " has data points");
            }
            for (String expected : List.of("chart-history", "chart-timeline", "chart-curves", "chart-parallel",
                    "chart-slice-0", "chart-slice-1", "chart-importance", "chart-feature-importance", "chart-grad-0",
                    "chart-ratio-0")) {
                assertTrue(ids.contains(expected), expected + " rendered; charts: " + ids);
            }
            for (String id : ids) {
                WebElement canvas = browser.findElement(By.cssSelector("#" + id + " canvas"));
                assertTrue(canvas.getSize().getWidth() > 100 && canvas.getSize().getHeight() > 100, id + " drawn");
            }
            assertNoConsoleErrors(browser, "report.html");

            // Sorting: the objective column ascending, then descending.
            browser.findElement(By.cssSelector("#leaderboard-table th[data-key='objective']")).click();
            List<Double> up = column(browser, 3);
            browser.findElement(By.cssSelector("#leaderboard-table th[data-key='objective']")).click();
            List<Double> down = column(browser, 3);
            assertTrue(up.size() >= 4, "objective values: " + up);
            for (int i = 1; i < up.size(); i++) {
                assertTrue(up.get(i - 1) <= up.get(i), "ascending after one click: " + up);
                assertTrue(down.get(i - 1) >= down.get(i), "descending after two: " + down);
            }

            // Hover: every stop reason carries its rule, epoch and evidence in the title.
            List<WebElement> stops = browser.findElements(By.cssSelector("#leaderboard-table td.stop"));
            assertFalse(stops.isEmpty(), "a stopped trial in the leaderboard: " + result.out());
            String title = stops.get(0).getAttribute("title");
            assertTrue(title.startsWith("stopped by plateau at epoch ") && title.split("\n").length >= 3,
                    "stop evidence on hover: " + title);
            new org.openqa.selenium.interactions.Actions(browser).moveToElement(stops.get(0)).perform();

            assertNotBlank(browser, "report-1280x800.png");
            js.executeScript("document.getElementById('gradients').scrollIntoView()");
            assertNotBlank(browser, "report-gradients-1280x800.png");

            // Phone width: no horizontal overflow of the page.
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            assertTrue(awaitTrue(() -> ((Number) js.executeScript("return window.innerWidth")).intValue() <= 420, 10));
            // The charts' resize handler runs on the resize event: poll until the page fits, with a deadline.
            String fits = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth";
            boolean fitted = await(browser, fits, 10);
            long scroll = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
            long inner = ((Number) js.executeScript("return document.documentElement.clientWidth")).longValue();
            assertTrue(fitted, "no horizontal overflow at phone width: scrollWidth " + scroll + " > " + inner);
            js.executeScript("window.scrollTo(0, 0)");
            assertNotBlank(browser, "report-390x844.png");
            assertNoConsoleErrors(browser, "report.html at phone width");
        } finally {
            System.clearProperty("gradtune.report.intervalSeconds");
            browser.quit();
            if (!study.isDone()) {
                study.get(120, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The README's pictures: {@code -Dgradtune.report.screenshots=RUN_DIR} writes RUN_DIR/report.html's top as
     * docs/report.png and its gradient view as docs/report-gradients.png (see README, "Report"), with the trials of
     * {@code -Dgradtune.report.screenshotTrials=t0018,...} added to the gradient view; skipped otherwise.
     */
    @Test
    void docsScreenshots() throws Exception {
        String runDir = System.getProperty("gradtune.report.screenshots", "");
        Assumptions.assumeFalse(runDir.isEmpty(), "-Dgradtune.report.screenshots=RUN_DIR not given");
        requireBrowser();
        Path report = Path.of(runDir).toAbsolutePath().resolve(HtmlReport.FILE);
        ChromeDriver browser = browser(1280, 8000);
        try {
            browser.get(report.toUri().toString());
            assertTrue(await(browser, "return window.gradtuneChartStats && window.gradtuneChartStats().length > 0", 20));
            String add = System.getProperty("gradtune.report.screenshotTrials", "");
            if (!add.isEmpty()) { // e.g. a deep ReLU + He trial next to the deep sigmoid ones
                browser.executeScript("window.gradtuneShowGradients(arguments[0].split(','))", add);
            }
            Path docs = Path.of("..", "docs");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1700));
            Thread.sleep(500);
            Files.write(docs.resolve("report.png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 8000));
            Thread.sleep(500);
            Files.write(docs.resolve("report-gradients.png"),
                    browser.findElement(By.id("gradients")).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    /** The browser, or a failure that says how to install it (unless {@code -Dgradtune.browser.skip=true}). */
    static void requireBrowser() {
        if (Boolean.getBoolean("gradtune.browser.skip")) {
            Assumptions.abort("-Dgradtune.browser.skip=true");
        }
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("the report's browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): run .ci/run, or apt-get install -y --no-install-recommends chromium "
                    + "chromium-driver; or skip it with -Dgradtune.browser.skip=true");
        }
    }

    /** Headless chromium at a window size, chromedriver named explicitly (Selenium Manager never downloads). */
    static ChromeDriver browser(int width, int height) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=" + width + "," + height, "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }

    private static boolean await(ChromeDriver b, String script, int seconds) throws InterruptedException {
        return awaitTrue(() -> Boolean.TRUE.equals(b.executeScript(script)), seconds);
    }

    private static boolean awaitTrue(Supplier<Boolean> condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.get();
    }

    private static List<Double> column(ChromeDriver b, int index) {
        List<Double> values = new ArrayList<>();
        for (WebElement td : b.findElements(By.cssSelector("#leaderboard-table tbody tr td:nth-child(" + index + ")"))) {
            String t = td.getText().trim();
            if (!t.equals("—") && !t.isEmpty()) {
                values.add(Double.parseDouble(t));
            }
        }
        return values;
    }

    private static void assertNoConsoleErrors(ChromeDriver b, String page) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : b.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertTrue(errors.isEmpty(), "console errors in " + page + ": " + errors);
    }

    /** Saves a screenshot under target/ and checks it is not blank: enough distinct colours and luminance spread. */
    static void assertNotBlank(ChromeDriver b, String name) throws IOException {
        byte[] png = b.getScreenshotAs(OutputType.BYTES);
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.write(out, png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        double sum = 0;
        double sq = 0;
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                double l = 0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                sum += l;
                sq += l * l;
                n++;
            }
        }
        double variance = sq / n - (sum / n) * (sum / n);
        assertTrue(variance > 100 && colours.size() > 50, name + " is not blank: luminance variance " + variance
                + ", " + colours.size() + " colours");
    }
}
