package dev.talktoserver.server;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /talk-to-server} as the JDK's own {@code java.net.http.WebSocket} sees it: an implementation
 * that shares no code with Spring or Tomcat.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class JdkClientTalkTests {

	@LocalServerPort
	private int port;

	@Test
	void answersEachMessageAndClosesNormally() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		for (int i = 1; i <= 3; i++) {
			assertThat(client.roundTrip("Hello from client " + i)).as("reply to message %d", i)
				.isEqualTo("Hello from server!");
		}
		client.close();
		assertThat(client.awaitClose().code()).isEqualTo(1000);
	}

}
