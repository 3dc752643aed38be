package dev.talktoserver.server;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.max-messages-per-second}, here 5.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.max-messages-per-second=5")
class RateLimitTests {

	@LocalServerPort
	private int port;

	@Test
	void messagesWithinTheLimitAreAnswered() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		for (int i = 0; i < 5; i++) {
			assertThat(client.roundTrip("message " + i)).isEqualTo("Hello from server!");
		}
		client.close();
	}

	@Test
	void burstBeyondTheLimitClosesWith1008AndAReasonWhileOthersKeepWorking() throws Exception {
		JdkTestClient bystander = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		for (int i = 0; i < 20 && !client.isClosed(); i++) {
			client.send("burst " + i);
		}
		Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(1008);
		assertThat(close.reason()).isEqualTo("rate limit: more than 5 messages per second");
		assertThat(bystander.roundTrip("still here")).isEqualTo("Hello from server!");
		bystander.close();
	}

}
