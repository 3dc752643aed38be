package dev.talktoserver.server;

import java.time.Duration;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pings and the idle timeout, on a short clock: ping every 200 ms, idle after 1 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.ping-interval=200ms", "talk.idle-timeout=1s" })
class HeartbeatTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Test
	void quietConnectionIsPinged() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			Frame frame = socket.readFrame();
			assertThat(frame.opcode()).as("the first frame from the server").isEqualTo(Frame.PING);
		}
	}

	@Test
	void peerThatNeverAnswersIsClosedWith1001WhilePeersThatPongStayOpen() throws Exception {
		// The JDK client answers every ping with a pong; the raw socket answers nothing.
		JdkTestClient answering = JdkTestClient.connect(this.port, "/talk-to-server");
		try (RawWebSocket silent = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			Frame frame = silent.readFrame();
			while (frame.opcode() == Frame.PING) {
				frame = silent.readFrame();
			}
			assertThat(frame.opcode()).isEqualTo(Frame.CLOSE);
			assertThat(frame.closeCode()).isEqualTo(1001);
			assertThat(frame.closeReasonText()).isEqualTo("idle timeout: nothing received for 1 s");
		}
		// The silent peer's close took longer than the idle timeout; the answering one is still open.
		assertThat(answering.isClosed()).isFalse();
		assertThat(answering.roundTrip("still here")).isEqualTo("Hello from server!");
		answering.close();
	}

}
