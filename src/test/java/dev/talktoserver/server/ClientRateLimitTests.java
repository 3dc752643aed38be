package dev.talktoserver.server;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.talktoserver.support.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.max-messages-per-second-per-client}, here 10, and no limit per connection: two
 * connections of one client (one address, as a trusted proxy reports it) share the ten, so a burst of
 * fifteen on each closes both with 1008, while another client's connection keeps working.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.max-messages-per-second-per-client=10", "server.forward-headers-strategy=native" })
@ExtendWith(OutputCaptureExtension.class)
class ClientRateLimitTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String REASON = "rate limit: this client's connections sent more than 10 messages per second";

	@LocalServerPort
	private int port;

	@Test
	void theConnectionsOfOneClientShareItsAllowanceWhileAnotherClientKeepsWorking(CapturedOutput output)
			throws Exception {
		try (RawWebSocket first = connect("203.0.113.20"); RawWebSocket second = connect("203.0.113.20");
				RawWebSocket other = connect("203.0.113.21")) {
			for (RawWebSocket socket : List.of(first, second)) {
				for (int i = 0; i < 15; i++) {
					socket.sendText("burst " + i);
				}
			}
			int echoed = 0;
			for (RawWebSocket socket : List.of(first, second)) {
				RawWebSocket.Frame frame = socket.readFrameSkippingPings();
				while (frame.opcode() != RawWebSocket.Frame.CLOSE) {
					echoed++;
					frame = socket.readFrameSkippingPings();
				}
				assertThat(frame.closeCode()).isEqualTo(1008);
				assertThat(frame.closeReasonText()).isEqualTo(REASON);
			}
			// Ten at once, and what the allowance refilled while the bursts arrived (one each 100 ms).
			assertThat(echoed).isBetween(10, 15);
			other.sendText("still here");
			assertThat(other.readMessage().text()).isEqualTo("still here");
		}
		assertThat(output.getOut()).contains("closing with 1008 (" + REASON + ")");
	}

	private RawWebSocket connect(String client) throws IOException {
		RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, Map.of("X-Forwarded-For", client));
		assertThat(socket.status()).isEqualTo(101);
		return socket;
	}

}
