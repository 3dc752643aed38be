package dev.talktoserver.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser page at {@code /} in headless Chromium, as the browser tests drive it: its elements by
 * id, its connection state, its log, and waits bounded by {@link #TIMEOUT}.
 */
public final class TalkPage implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ChromeDriver browser;

	private TalkPage(ChromeDriver browser) {
		this.browser = browser;
	}

	/**
	 * Opens {@code url} in a new browser ({@link HeadlessChromium#start}), whose profile lives in
	 * {@code profile}.
	 */
	public static TalkPage open(String url, Path profile, int width, int height, boolean phone,
			String... moreArguments) {
		TalkPage page = new TalkPage(HeadlessChromium.start(profile, width, height, phone, moreArguments));
		page.browser.get(url);
		return page;
	}

	public ChromeDriver browser() {
		return this.browser;
	}

	public WebElement byId(String id) {
		return this.browser.findElement(By.id(id));
	}

	public WebElement focused() {
		return this.browser.switchTo().activeElement();
	}

	/** The connection state the page shows: closed, connecting, open or closing. */
	public String state() {
		return byId("state").getText();
	}

	/** Each entry of the log without its time, such as {@code sent Hello}. */
	public List<String> logEntries() {
		return this.browser.findElements(By.cssSelector("#log li"))
			.stream()
			.map((entry) -> entry.findElement(By.className("label")).getText() + " "
					+ entry.findElement(By.className("text")).getText())
			.toList();
	}

	/** Waits until the page shows {@code state}: closed, connecting, open or closing. */
	public void waitForState(String state) {
		waitFor(ExpectedConditions.attributeToBe(By.id("state"), "data-state", state));
	}

	/** Waits until the element {@code id} shows {@code text}. */
	public void waitForText(String id, String text) {
		waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	public void waitForReply() {
		waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#log .received"),
				"Hello from server!"));
	}

	public void waitFor(ExpectedCondition<?> condition) {
		new WebDriverWait(this.browser, TIMEOUT).until(condition);
	}

	/** Saves what the page looks like as {@code target/NAME}, for a person to look at. */
	public void screenshot(String name) throws IOException {
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.write(target, this.browser.getScreenshotAs(OutputType.BYTES));
	}

	/** Stops the browser and its driver. */
	@Override
	public void close() {
		this.browser.quit();
	}

}
