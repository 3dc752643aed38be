package dev.talktoserver.server;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Under a context path ({@code server.servlet.context-path}), the endpoints are found below it. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.servlet.context-path=/app")
class ContextPathTests {

	@LocalServerPort
	private int port;

	@Test
	void endpointsAnswerBelowTheContextPath() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/app/talk-to-server");
		assertThat(client.roundTrip("under a context path")).isEqualTo("Hello from server!");
		client.close();
	}

}
