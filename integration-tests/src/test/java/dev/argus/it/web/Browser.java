package dev.argus.it.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromedriver}, never a downloaded
 * one) with a fresh profile and a download folder, plus the few helpers the dashboard tests share.
 */
final class Browser implements AutoCloseable {
    private static final String CHROMIUM = System.getProperty("argus.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("argus.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    final Path downloads;

    Browser(Path workDir) {
        requireFile(CHROMIUM, "chromium");
        requireFile(CHROMEDRIVER, "chromium-driver");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        try {
            downloads = Files.createDirectories(workDir.resolve("downloads"));
            Path profile = Files.createDirectories(workDir.resolve("chromium-profile"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1400,900", "--user-data-dir=" + profile);
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .build();
            driver = new ChromeDriver(service, options);
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireFile(String path, String debianPackage) {
        if (!Files.isExecutable(Paths.get(path))) {
            throw new IllegalStateException(path + " is missing: install Debian's " + debianPackage
                    + " (scripts/verify.sh does) or set -Dargus." + (debianPackage.equals("chromium") ? "chromium" : "chromedriver"));
        }
    }

    WebElement byTestId(String id) {
        return driver.findElement(By.cssSelector("[data-testid=\"" + id + "\"]"));
    }

    List<WebElement> allByTestId(String id) {
        return driver.findElements(By.cssSelector("[data-testid=\"" + id + "\"]"));
    }

    @SuppressWarnings("unchecked")
    <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Polls {@code condition} until it returns a non-null, non-false value. */
    <T> T await(Duration timeout, String what, Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(25))
                .withMessage(what)
                .until(d -> condition.apply(driver));
    }

    /** The ids the list holds, oldest first (the page's read-only test hook). */
    List<Long> listedIds() {
        List<Number> ids = js("return window.argus.ids()");
        return ids.stream().map(Number::longValue).toList();
    }

    /** Waits for a finished download whose name ends with {@code suffix}, and returns it. */
    Path awaitDownload(String suffix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                Path found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(50);
        }
        throw new AssertionError("no *" + suffix + " download in " + downloads);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
