package dev.talktoserver.server;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.warm-up.handshakes}: before the context is ready, the server has made that many handshakes
 * to itself, half to each endpoint, with a message on {@code /echo} only (on {@code /talk-to-server} it
 * would be logged).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.warm-up.handshakes=40")
class WarmUpTests {

	@Autowired
	private MeterRegistry registry;

	@Test
	void warmUpHandshakesWereMadeToBothEndpointsBeforeTheContextWasReady() {
		for (String endpoint : new String[] { TalkHandler.PATH, EchoHandler.PATH }) {
			assertThat(this.registry.get("talk.sessions.opened").tag("endpoint", endpoint).counter().count())
				.as("warm-up sessions opened on %s", endpoint)
				.isEqualTo(20);
		}
		assertThat(this.registry.get("talk.messages.received").tag("endpoint", EchoHandler.PATH).counter().count())
			.as("warm-up messages echoed")
			.isEqualTo(20);
		assertThat(this.registry.get("talk.messages.received").tag("endpoint", TalkHandler.PATH).counter().count())
			.as("messages to /talk-to-server, which would be logged")
			.isZero();
	}

}
