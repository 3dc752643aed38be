package dev.talktoserver.server;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.allowed-origins} with an exact origin and a pattern.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "talk.allowed-origins=https://app.example.org,https://*.example.com")
class AllowedOriginsTests {

	@LocalServerPort
	private int port;

	@Test
	void exactOriginIsAccepted() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server", "https://app.example.org");
		assertThat(client.roundTrip("hi")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void originMatchingThePatternIsAccepted() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server", "https://chat.example.com");
		assertThat(client.roundTrip("hi")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void otherOriginsGet403() throws Exception {
		assertThat(JdkTestClient.refusedStatus(this.port, "/talk-to-server", "https://example.net")).isEqualTo(403);
		assertThat(JdkTestClient.refusedStatus(this.port, "/talk-to-server", "http://chat.example.com")).isEqualTo(403);
	}

	@Test
	void handshakeWithoutOriginIsStillAccepted() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("hi")).isEqualTo("Hello from server!");
		client.close();
	}

}
