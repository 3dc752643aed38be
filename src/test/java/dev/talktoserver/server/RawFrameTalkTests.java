package dev.talktoserver.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /talk-to-server} at the level of RFC 6455: the handshake and frames written by hand.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RawFrameTalkTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Test
	void handshakeAnswers101WithTheAcceptKeyForOurKey() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.header("Upgrade")).isEqualToIgnoringCase("websocket");
			assertThat(socket.header("Connection")).containsIgnoringCase("upgrade");
			assertThat(socket.header("Sec-WebSocket-Accept")).isEqualTo(RawWebSocket.acceptFor(socket.key()));
		}
	}

	@Test
	void maskedTextFrameGetsOneUnmaskedFinalTextFrameBack() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			socket.sendText("Hello from client!");
			Frame reply = socket.readFrame();
			assertThat(reply.opcode()).isEqualTo(Frame.TEXT);
			assertThat(reply.fin()).isTrue();
			assertThat(reply.reservedBits()).isZero();
			assertThat(reply.masked()).as("server frames are never masked").isFalse();
			assertThat(reply.text()).isEqualTo("Hello from server!");
		}
	}

	@Test
	void fragmentedMessageIsOneMessageWithOneReply() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			socket.sendFrame(false, Frame.TEXT, "Hello ".getBytes(StandardCharsets.UTF_8));
			socket.sendFrame(false, Frame.CONTINUATION, "from ".getBytes(StandardCharsets.UTF_8));
			socket.sendFrame(true, Frame.CONTINUATION, "client!".getBytes(StandardCharsets.UTF_8));
			socket.sendText("second");
			assertThat(socket.readFrame().text()).isEqualTo("Hello from server!");
			assertThat(socket.readFrame().text()).isEqualTo("Hello from server!");
		}
	}

	@Test
	void pingIsAnsweredWithPongCarryingTheSamePayload() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			socket.sendFrame(true, Frame.PING, "are you there".getBytes(StandardCharsets.UTF_8));
			Frame pong = socket.readFrame();
			assertThat(pong.opcode()).isEqualTo(Frame.PONG);
			assertThat(pong.text()).isEqualTo("are you there");
		}
	}

	@Test
	void closeFrameIsAnsweredWithCloseFrameOfTheSameCode() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			socket.sendFrame(true, Frame.CLOSE, new byte[] { 0x03, (byte) 0xE8 });
			Frame close = socket.readFrame();
			assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
			assertThat(close.closeCode()).isEqualTo(1000);
		}
	}

}
