package dev.talktoserver.web;

import java.nio.file.Path;

import dev.talktoserver.support.TalkPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in Chromium, which offers permessage-deflate on every connection, against a server with
 * {@code talk.compression.enabled}: the connection is compressed, and a long message and its reply go
 * through. (With the default, BrowserPageTests shows the same page connecting uncompressed.)
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "talk.compression.enabled=true",
		"logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
		"logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
@ExtendWith(OutputCaptureExtension.class)
class BrowserCompressionTests {

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
	void chromiumTalksCompressed(CapturedOutput output) {
		this.page = TalkPage.open("http://127.0.0.1:" + this.port + "/", this.profile, 960, 600, false);
		this.page.byId("connect").click();
		this.page.waitForState("open");
		// Chromium offers context takeover both ways and any window size of its own, and gets 15 bits.
		assertThat(this.page.logEntries())
			.contains("open connected, compressed (permessage-deflate;client_max_window_bits=15)");
		String message = "compressible ".repeat(2000);
		// Typed into the box as a person would paste it; sendKeys of 26,000 characters takes a while.
		this.page.browser().executeScript("document.getElementById('message').value = arguments[0]", message);
		this.page.byId("message").sendKeys(Keys.ENTER);
		this.page.waitForReply();
		assertThat(output.getOut()).contains("sent 26000 chars: \"compressible compressible");
	}

}
