package dev.talktoserver.server;

import java.time.Duration;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.server.connection.SessionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code talk.max-connections}, here 3: the next handshake gets 503 with {@code Retry-After}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.max-connections=3")
@ExtendWith(OutputCaptureExtension.class)
class ConnectionCapTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private SessionRegistry sessions;

	@Test
	void handshakeBeyondTheCapGets503WithRetryAfterAndOpenConnectionsKeepWorking(CapturedOutput output)
			throws Exception {
		JdkTestClient first = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient second = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient third = JdkTestClient.connect(this.port, "/echo");
		// A session is registered just after its 101 has gone out.
		await().atMost(TIMEOUT).until(() -> this.sessions.size() == 3);
		try (RawWebSocket refused = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("5");
		}
		assertThat(output.getOut()).contains("refused with 503: the server is at its connection cap of 3");
		assertThat(first.roundTrip("still here")).isEqualTo("Hello from server!");
		assertThat(third.roundTrip("echo")).isEqualTo("echo");

		second.close();
		await().atMost(TIMEOUT).until(() -> this.sessions.size() == 2);
		JdkTestClient fourth = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(fourth.roundTrip("room again")).isEqualTo("Hello from server!");
		first.close();
		third.close();
		fourth.close();
	}

}
