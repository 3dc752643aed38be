package dev.talktoserver.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.talktoserver.support.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page at {@code /} in a real browser, headless Chromium, as a person would use it: connect, send,
 * read the reply, disconnect and see how the connection ended. Screenshots of the result are left in
 * {@code target/} for a person to look at.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		// No CDP is used, so Selenium's warnings that it has none for this Chromium's version are noise.
		"logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
		"logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
@ExtendWith(OutputCaptureExtension.class)
class BrowserPageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@TempDir
	private Path profile;

	private ChromeDriver browser;

	@AfterEach
	void quitBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void talksToTheServerAndShowsTheCloseCode(CapturedOutput output) throws IOException {
		openPage(960, 600, false);
		assertThat(byId("url").getDomProperty("value")).isEqualTo("ws://127.0.0.1:" + this.port + "/talk-to-server");
		assertThat(state()).isEqualTo("closed");
		assertThat(byId("message").isEnabled()).as("message box before connecting").isFalse();

		byId("connect").click();
		waitFor(stateIs("open"));
		byId("message").sendKeys("Hello from the browser!", Keys.ENTER);
		waitForReply();
		assertThat(logEntries()).containsSubsequence("sent Hello from the browser!", "received Hello from server!");
		assertThat(output.getOut()).contains("sent 23 chars: \"Hello from the browser!\"");

		byId("disconnect").click();
		waitFor(stateIs("closed"));
		assertThat(byId("close-info").getText()).startsWith("with code 1000 \"closed from the page\": normal closure");
		assertThat(byId("connect").isEnabled()).as("Connect after closing").isTrue();
		assertThat(byId("send").isEnabled()).as("Send after closing").isFalse();
		screenshot("browser-page.png");
	}

	@Test
	void worksFromTheKeyboardAlone() {
		openPage(960, 600, false);
		byId("url").sendKeys(Keys.ENTER);
		waitFor(stateIs("open"));
		assertThat(focused()).as("focus once open").isEqualTo(byId("message"));
		focused().sendKeys("typed", Keys.ENTER);
		waitForReply();
		assertThat(focused()).as("focus after sending").isEqualTo(byId("message"));
		focused().sendKeys(Keys.SHIFT, Keys.TAB);
		assertThat(focused()).as("focus before the message box").isEqualTo(byId("disconnect"));
		focused().sendKeys(Keys.ENTER);
		waitFor(stateIs("closed"));
		assertThat(focused()).as("focus once closed").isEqualTo(byId("connect"));
	}

	@Test
	void explainsAConnectionThatCouldNotBeMade() throws IOException {
		openPage(960, 600, false);
		WebElement url = byId("url");
		url.clear();
		url.sendKeys("ws://127.0.0.1:" + this.port + "/no-such-endpoint", Keys.ENTER);
		waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("close-info"), "could not connect"));
		assertThat(state()).isEqualTo("closed");
		assertThat(byId("close-info").getText()).startsWith("with code 1006: could not connect");
		assertThat(byId("connect").isEnabled()).as("Connect after failing").isTrue();
		screenshot("browser-page-failed.png");
	}

	@Test
	void fitsAPhoneScreenWithoutSidewaysScrolling() throws IOException {
		openPage(390, 844, true);
		byId("connect").click();
		waitFor(stateIs("open"));
		byId("message").sendKeys("A message long enough to need more than one line on a phone's screen", Keys.ENTER);
		waitForReply();
		Object overflow = this.browser
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(overflow).as("pixels of sideways scrolling").isEqualTo(0L);
		screenshot("browser-page-phone.png");
	}

	private void openPage(int width, int height, boolean phone) {
		this.browser = HeadlessChromium.start(this.profile, width, height, phone);
		this.browser.get("http://127.0.0.1:" + this.port + "/");
	}

	private WebElement byId(String id) {
		return this.browser.findElement(By.id(id));
	}

	private WebElement focused() {
		return this.browser.switchTo().activeElement();
	}

	private String state() {
		return byId("state").getText();
	}

	/** Each entry of the log without its time, such as {@code sent Hello}. */
	private List<String> logEntries() {
		return this.browser.findElements(By.cssSelector("#log li"))
			.stream()
			.map((entry) -> entry.findElement(By.className("label")).getText() + " "
					+ entry.findElement(By.className("text")).getText())
			.toList();
	}

	private ExpectedCondition<Boolean> stateIs(String state) {
		return ExpectedConditions.attributeToBe(By.id("state"), "data-state", state);
	}

	private void waitForReply() {
		waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#log .received"),
				"Hello from server!"));
	}

	private void waitFor(ExpectedCondition<?> condition) {
		new WebDriverWait(this.browser, TIMEOUT).until(condition);
	}

	private void screenshot(String name) throws IOException {
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.write(target, this.browser.getScreenshotAs(OutputType.BYTES));
	}

}
