package dev.talktoserver.web;

import java.io.IOException;
import java.nio.file.Path;

import dev.talktoserver.support.TalkPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

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

	@LocalServerPort
	private int port;

	@TempDir
	private Path profile;

	private TalkPage page;

	@AfterEach
	void quitBrowser() {
		if (this.page != null) {
			this.page.close();
		}
	}

	@Test
	void talksToTheServerAndShowsTheCloseCode(CapturedOutput output) throws IOException {
		openPage(960, 600, false);
		assertThat(this.page.byId("url").getDomProperty("value"))
			.isEqualTo("ws://127.0.0.1:" + this.port + "/talk-to-server");
		assertThat(this.page.state()).isEqualTo("closed");
		assertThat(this.page.byId("message").isEnabled()).as("message box before connecting").isFalse();

		this.page.byId("connect").click();
		this.page.waitForState("open");
		this.page.byId("message").sendKeys("Hello from the browser!", Keys.ENTER);
		this.page.waitForReply();
		assertThat(this.page.logEntries()).containsSubsequence("open connected", "sent Hello from the browser!",
				"received Hello from server!");
		assertThat(output.getOut()).contains("sent 23 chars: \"Hello from the browser!\"");

		this.page.byId("disconnect").click();
		this.page.waitForState("closed");
		assertThat(this.page.byId("close-info").getText())
			.startsWith("with code 1000 \"closed from the page\": normal closure");
		assertThat(this.page.byId("connect").isEnabled()).as("Connect after closing").isTrue();
		assertThat(this.page.byId("send").isEnabled()).as("Send after closing").isFalse();
		this.page.screenshot("browser-page.png");
	}

	@Test
	void worksFromTheKeyboardAlone() {
		openPage(960, 600, false);
		this.page.byId("url").sendKeys(Keys.ENTER);
		this.page.waitForState("open");
		assertThat(this.page.focused()).as("focus once open").isEqualTo(this.page.byId("message"));
		this.page.focused().sendKeys("typed", Keys.ENTER);
		this.page.waitForReply();
		assertThat(this.page.focused()).as("focus after sending").isEqualTo(this.page.byId("message"));
		this.page.focused().sendKeys(Keys.SHIFT, Keys.TAB);
		assertThat(this.page.focused()).as("focus before the message box")
			.isEqualTo(this.page.byId("disconnect"));
		this.page.focused().sendKeys(Keys.ENTER);
		this.page.waitForState("closed");
		assertThat(this.page.focused()).as("focus once closed").isEqualTo(this.page.byId("connect"));
	}

	@Test
	void explainsAConnectionThatCouldNotBeMade() throws IOException {
		openPage(960, 600, false);
		WebElement url = this.page.byId("url");
		url.clear();
		url.sendKeys("ws://127.0.0.1:" + this.port + "/no-such-endpoint", Keys.ENTER);
		this.page.waitForText("close-info", "could not connect");
		assertThat(this.page.state()).isEqualTo("closed");
		assertThat(this.page.byId("close-info").getText()).startsWith("with code 1006: could not connect");
		assertThat(this.page.byId("connect").isEnabled()).as("Connect after failing").isTrue();
		this.page.screenshot("browser-page-failed.png");
	}

	@Test
	void fitsAPhoneScreenWithoutSidewaysScrolling() throws IOException {
		openPage(390, 844, true);
		this.page.byId("connect").click();
		this.page.waitForState("open");
		this.page.byId("message")
			.sendKeys("A message long enough to need more than one line on a phone's screen", Keys.ENTER);
		this.page.waitForReply();
		Object overflow = this.page.browser()
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(overflow).as("pixels of sideways scrolling").isEqualTo(0L);
		this.page.screenshot("browser-page-phone.png");
	}

	private void openPage(int width, int height, boolean phone) {
		this.page = TalkPage.open("http://127.0.0.1:" + this.port + "/", this.profile, width, height, phone);
	}

}
