package dev.talktoserver.server;

import java.nio.charset.StandardCharsets;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.max-text-message-size} (64 KiB as shipped) and binary messages on {@code /talk-to-server}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MessageSizeLimitTests {

	private static final int LIMIT = 64 * 1024;

	@LocalServerPort
	private int port;

	@Test
	void messageOfExactlyTheLimitIsAnswered() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("x".repeat(LIMIT))).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void limitCountsBytesNotCharacters() throws Exception {
		// 'é' is two bytes in UTF-8: 32768 of them are exactly the limit, one more is over it.
		JdkTestClient atLimit = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(atLimit.roundTrip("é".repeat(LIMIT / 2))).isEqualTo("Hello from server!");
		atLimit.close();
		JdkTestClient overLimit = JdkTestClient.connect(this.port, "/talk-to-server");
		overLimit.send("é".repeat(LIMIT / 2) + "x");
		assertThat(overLimit.awaitClose().code()).isEqualTo(1009);
	}

	@Test
	void messageOverTheLimitClosesWith1009AndAReasonWhileOthersKeepWorking() throws Exception {
		JdkTestClient bystander = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		client.send("x".repeat(LIMIT + 1));
		Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(1009);
		assertThat(close.reason()).isEqualTo("message too big: the limit is 65536 bytes");
		assertThat(bystander.roundTrip("still here")).isEqualTo("Hello from server!");
		bystander.close();
	}

	@Test
	void fragmentedMessageOverTheLimitClosesWith1009() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", JdkTestClient.TIMEOUT)) {
			byte[] fragment = "y".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
			socket.sendFrame(false, Frame.TEXT, fragment);
			for (int i = 0; i < 4; i++) {
				socket.sendFrame(false, Frame.CONTINUATION, fragment);
			}
			Frame close = socket.readFrame();
			assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
			assertThat(close.closeCode()).isEqualTo(1009);
		}
	}

	@Test
	void messageLargerThanTheContainerBufferIsAssembledAndAnswered() throws Exception {
		// Arrives in several parts (the container buffer is 1 KiB); answered once, logged whole.
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("z".repeat(40_000))).isEqualTo("Hello from server!");
		assertThat(client.roundTrip("short one after")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void echoMessageOverItsLimitClosesWith1009() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/echo");
		client.sendBinary(new byte[16 * 1024 * 1024 + 1]);
		Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(1009);
		assertThat(close.reason()).isEqualTo("message too big: the limit is 16777216 bytes");
	}

	@Test
	void binaryMessageClosesWith1003AndAReason() throws Exception {
		JdkTestClient bystander = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		client.sendBinary(new byte[] { 1, 2, 3 });
		Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(1003);
		assertThat(close.reason()).isEqualTo("binary messages are not accepted here; send text");
		assertThat(bystander.roundTrip("still here")).isEqualTo("Hello from server!");
		bystander.close();
	}

}
