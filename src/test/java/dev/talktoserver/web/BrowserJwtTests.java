package dev.talktoserver.web;

import java.nio.file.Path;

import dev.talktoserver.support.TalkPage;
import dev.talktoserver.support.TestIdentityProvider;
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
 * The page's token field with a JWT from an identity provider (Spring Authorization Server,
 * {@link TestIdentityProvider}): headless Chromium sends it as the subprotocol pair, the only handshake
 * header a page can set, and the connection carries the token's subject.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.security.oauth2.resourceserver.jwt.audiences=" + TestIdentityProvider.CLIENT,
		"logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
		"logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
@ExtendWith(OutputCaptureExtension.class)
class BrowserJwtTests {

	@LocalServerPort
	private int port;

	@TempDir
	private Path profile;

	private TalkPage page;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry properties) {
		properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIdentityProvider::issuer);
	}

	@AfterEach
	void quitBrowser() {
		if (this.page != null) {
			this.page.close();
		}
	}

	@Test
	void theTokenFieldTakesAJwtAndTheConnectionIsItsSubjects(CapturedOutput output) {
		String token = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk");
		this.page = TalkPage.open("http://localhost:" + this.port + "/", this.profile, 960, 600, false);
		this.page.byId("token").sendKeys(token, Keys.ENTER);
		this.page.waitForState("open");
		this.page.byId("message").sendKeys("with a JWT", Keys.ENTER);
		this.page.waitForReply();
		assertThat(this.page.byId("log").getText()).contains("with a JWT").doesNotContain(token);
		assertThat(output.getOut()).contains("as \"" + TestIdentityProvider.CLIENT + "\") sent 10 chars: \"with a JWT\"");
		assertThat(output.getAll()).doesNotContain(token);
	}

}
