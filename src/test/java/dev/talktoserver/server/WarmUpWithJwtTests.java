package dev.talktoserver.server;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up where handshakes need a JWT for an audience: its own token passes the resource server's
 * checks in each of the three carriers (header, subprotocol, query), so every warm-up handshake opens a
 * session and none is refused. The provider need not be up: the warm-up signs its token itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.warm-up.handshakes=30", "talk.auth.key-fetch-timeout=1s",
				"spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks",
				"spring.security.oauth2.resourceserver.jwt.audiences=talk-to-server" })
class WarmUpWithJwtTests {

	@Autowired
	private MeterRegistry registry;

	@Test
	void everyWarmUpHandshakeOpenedASessionWithTheWarmUpsOwnToken() {
		for (String endpoint : new String[] { TalkHandler.PATH, EchoHandler.PATH }) {
			assertThat(this.registry.get("talk.sessions.opened").tag("endpoint", endpoint).counter().count())
				.as("warm-up sessions opened on %s", endpoint)
				.isEqualTo(15);
		}
		assertThat(this.registry.find("talk.handshakes.rejected").counters()).isEmpty();
	}

}
