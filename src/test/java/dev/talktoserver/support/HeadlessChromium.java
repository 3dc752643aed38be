package dev.talktoserver.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system's packages ({@code apt-get install chromium chromium-driver}),
 * driven through the chromedriver that comes with it. Both paths are given to Selenium, so Selenium
 * Manager, which would look for (and download) a browser and a driver over the network, never runs.
 * <p>
 * Where they are missing, a test that needs them is skipped, or fails under {@code CI=true}
 * ({@link RequiredTools}).
 */
public final class HeadlessChromium {

	public static final Path BROWSER = Path.of("/usr/bin/chromium");

	public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	/**
	 * Skips the calling test when Chromium or its driver is not installed, or fails it under
	 * {@code CI=true}.
	 */
	public static void assumeInstalled() {
		String missing = Stream.of(BROWSER, DRIVER)
			.filter((path) -> !Files.isExecutable(path))
			.map(Path::toString)
			.collect(Collectors.joining(" and "));
		RequiredTools.assumePresent(missing, "apt-get install chromium chromium-driver");
	}

	/**
	 * Starts a browser whose page is {@code width} by {@code height} CSS pixels, as on a phone when
	 * {@code phone} is set (touch, and the mobile viewport rules), with a fresh profile in
	 * {@code profile}, which the caller deletes; {@link ChromeDriver#quit()} stops the browser and its
	 * driver. The size is emulated rather than set through the window, which cannot be made narrower
	 * than about 500 pixels and whose height includes the browser's own bars. {@code moreArguments} go
	 * to Chromium as they are.
	 */
	public static ChromeDriver start(Path profile, int width, int height, boolean phone, String... moreArguments) {
		assumeInstalled();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile);
		options.addArguments(moreArguments);
		options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
				Map.of("width", width, "height", height, "pixelRatio", 1.0, "mobile", phone, "touch", phone)));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
