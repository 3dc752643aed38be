package dev.talktoserver.web;

import java.nio.file.Path;

import dev.talktoserver.support.TalkPage;
import dev.talktoserver.support.TestCertificate;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page served over https by a server that wants a token: it offers {@code wss://}, and its token
 * field opens the connection through the subprotocol pair, as a browser must. Chromium is told to accept
 * the certificate made for the test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"talk.auth.tokens=" + BrowserTokenTests.TOKEN,
		"logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
		"logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
@ExtendWith(OutputCaptureExtension.class)
class BrowserTokenTests {

	static final String TOKEN = "5d8e2a9c1f7b3e6d0a4c8b2f9e1d7a3c";

	@TempDir
	static Path directory;

	@LocalServerPort
	private int port;

	@TempDir
	private Path profile;

	private TalkPage page;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		TestCertificate.create(directory, "localhost", "dns:localhost,ip:127.0.0.1").serve(registry, "talk");
	}

	@AfterEach
	void quitBrowser() {
		if (this.page != null) {
			this.page.close();
		}
	}

	@Test
	void pageOverHttpsOffersWssAndConnectsWithTheToken(CapturedOutput output) {
		openPage();
		assertThat(this.page.byId("url").getDomProperty("value"))
			.isEqualTo("wss://localhost:" + this.port + "/talk-to-server");
		assertThat(this.page.byId("token").getDomAttribute("type")).isEqualTo("password");
		this.page.byId("token").sendKeys(TOKEN, Keys.ENTER);
		this.page.waitForState("open");
		this.page.byId("message").sendKeys("with a token", Keys.ENTER);
		this.page.waitForReply();
		assertThat(this.page.byId("log").getText()).contains("with a token")
			.doesNotContain(TOKEN);
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void withoutTheTokenThePageSaysItCouldNotConnect(CapturedOutput output) {
		openPage();
		this.page.byId("connect").click();
		this.page.waitForText("close-info", "could not connect");
		assertThat(this.page.byId("close-info").getText()).contains("a missing or wrong token");
		assertThat(output.getOut()).contains("refused with 401: no token");
	}

	private void openPage() {
		this.page = TalkPage.open("https://localhost:" + this.port + "/", this.profile, 960, 600, false,
				"--ignore-certificate-errors");
	}

}
