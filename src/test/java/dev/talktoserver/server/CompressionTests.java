package dev.talktoserver.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import dev.talktoserver.support.RawWebSocket.Message;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.talktoserver.support.ProtocolAssertions.assertFailsWith;
import static dev.talktoserver.support.ProtocolAssertions.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * permessage-deflate (RFC 7692) with {@code talk.compression.enabled}: messages compressed by hand
 * with {@code java.util.zip}, sent as raw frames, and every echo inflated and compared byte for byte.
 * The sizes are those that came back cut short (and then failed the connection with 1002) while the
 * server ran on a Tomcat with BZ 70126: its inflater lost its place whenever a message filled the
 * 512-byte message buffer exactly as the inflater ran out of input.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.compression.enabled=true")
@ExtendWith(OutputCaptureExtension.class)
class CompressionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int PROTOCOL_ERROR = 1002;

	private static final int INVALID_PAYLOAD = 1007;

	private static final int TOO_BIG = 1009;

	/** Each message goes three times on one connection, so that context takeover has a history to use. */
	private static final int REPEATS = 3;

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	private final ExecutorService sender = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopSender() {
		this.sender.shutdownNow();
	}

	static Stream<Arguments> messagesThatCameBackShort() {
		List<Arguments> messages = List.of(
				Arguments.of("1,000,000 random bytes", Frame.BINARY, random(1_000_000)),
				Arguments.of("1,040,000 bytes of one value", Frame.BINARY, repeated(1_040_000, 'a')),
				Arguments.of("4 MiB of random bytes", Frame.BINARY, random(4 * 1024 * 1024)),
				Arguments.of("32,768 bytes of one value", Frame.BINARY, repeated(32_768, 'a')),
				Arguments.of("4,096 random bytes (Autobahn 12.5.5)", Frame.BINARY, random(4096)),
				Arguments.of("32,768 characters of text", Frame.TEXT, repeated(32_768, 'x')),
				Arguments.of("100 KB of varied text", Frame.TEXT, variedText(100_000)));
		List<Arguments> withOffers = new ArrayList<>();
		for (String offer : List.of(PerMessageDeflate.BROWSER_OFFER, PerMessageDeflate.NO_CONTEXT_TAKEOVER_OFFER)) {
			for (Arguments message : messages) {
				Object[] values = message.get();
				withOffers.add(Arguments.of(values[0], values[1], values[2], offer));
			}
		}
		return withOffers.stream();
	}

	@ParameterizedTest(name = "{0}, offer \"{3}\"")
	@MethodSource("messagesThatCameBackShort")
	void messageInOneFrameComesBackCompressedAndByteExact(String name, int opcode, byte[] message, String offer)
			throws Exception {
		echoesExactly(opcode, message, offer, Integer.MAX_VALUE);
	}

	@ParameterizedTest(name = "{0}, offer \"{3}\"")
	@MethodSource("messagesThatCameBackShort")
	void messageInManyFramesComesBackCompressedAndByteExact(String name, int opcode, byte[] message, String offer)
			throws Exception {
		echoesExactly(opcode, message, offer, 8);
	}

	@Test
	void pingBetweenCompressedFragmentsIsAnsweredAndTheMessageStillComesBackWhole() throws Exception {
		byte[] message = variedText(20_000);
		try (RawWebSocket socket = connect("/echo", PerMessageDeflate.BROWSER_OFFER)) {
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions"));
			byte[] compressed = deflate.compress(message);
			int half = compressed.length / 2;
			socket.sendFrame(false, Frame.RSV1, Frame.TEXT, true, Arrays.copyOf(compressed, half));
			socket.sendFrame(true, Frame.PING, "between".getBytes(StandardCharsets.UTF_8));
			socket.sendFrame(true, 0, Frame.CONTINUATION, true, Arrays.copyOfRange(compressed, half, compressed.length));
			ByteArrayOutputStream echoed = new ByteArrayOutputStream();
			boolean ponged = false;
			boolean compressedEcho = false;
			boolean first = true;
			Frame frame;
			do {
				frame = socket.readServerFrame();
				if (frame.opcode() == Frame.PONG) {
					assertThat(frame.text()).isEqualTo("between");
					ponged = true;
					continue;
				}
				if (first) {
					compressedEcho = (frame.reservedBits() & Frame.RSV1) != 0;
					first = false;
				}
				echoed.writeBytes(frame.payload());
			}
			while (!frame.fin() || frame.opcode() == Frame.PONG);
			assertThat(ponged).as("pong for the ping between the fragments").isTrue();
			assertThat(compressedEcho).as("echo compressed").isTrue();
			assertSameBytes(deflate.decompress(echoed.toByteArray()), message);
		}
	}

	@Test
	void uncompressedMessageOnACompressedConnectionComesBackToo() throws Exception {
		try (RawWebSocket socket = connect("/echo", PerMessageDeflate.BROWSER_OFFER)) {
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions"));
			// Section 6: each message says for itself whether it is compressed.
			socket.sendText("plain");
			Message echo = socket.readMessage();
			byte[] payload = echo.compressed() ? deflate.decompress(echo.payload()) : echo.payload();
			assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("plain");
		}
	}

	@Test
	void longCompressedMessageIsLoggedWholeAndAnsweredWithCompressedReplies(CapturedOutput output) throws Exception {
		byte[] message = repeated(60_000, 'y');
		try (RawWebSocket socket = connect("/talk-to-server", PerMessageDeflate.BROWSER_OFFER)) {
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions"));
			for (int i = 0; i < REPEATS; i++) {
				socket.sendFrame(true, Frame.RSV1, Frame.TEXT, true, deflate.compress(message));
				Message reply = socket.readMessage();
				assertThat(reply.compressed()).as("%s", reply).isTrue();
				assertThat(new String(deflate.decompress(reply.payload()), StandardCharsets.UTF_8))
					.isEqualTo("Hello from server!");
			}
		}
		assertThat(output.getOut()).contains("sent 60000 chars: \"yyy");
	}

	@Test
	void compressedConnectionIsCountedWhileItIsOpen() throws Exception {
		// Those of the tests before it are counted out just after their close: from none, then.
		await().atMost(TIMEOUT).until(() -> compressedSessions() == 0);
		try (RawWebSocket socket = connect("/talk-to-server", PerMessageDeflate.NO_CONTEXT_TAKEOVER_OFFER)) {
			socket.sendText("counted");
			socket.readMessage();
			assertThat(compressedSessions()).isEqualTo(1);
			socket.sendClose(1000, "done");
			socket.expectClose();
		}
		await().atMost(TIMEOUT).until(() -> compressedSessions() == 0);
	}

	@Test
	void rsv1OnAContinuationFrameFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect("/echo", PerMessageDeflate.BROWSER_OFFER)) {
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions"));
			byte[] compressed = deflate.compress(variedText(2000));
			int half = compressed.length / 2;
			socket.sendFrame(false, Frame.RSV1, Frame.TEXT, true, Arrays.copyOf(compressed, half));
			// Section 6.1: RSV1 belongs to the first frame of a message only.
			socket.sendFrame(true, Frame.RSV1, Frame.CONTINUATION, true,
					Arrays.copyOfRange(compressed, half, compressed.length));
			assertFailsWithAfterAnyEcho(socket, PROTOCOL_ERROR);
		}
	}

	@Test
	void payloadThatDoesNotInflateFailsTheConnectionWith1007() throws Exception {
		try (RawWebSocket socket = connect("/echo", PerMessageDeflate.BROWSER_OFFER)) {
			// A deflate block of the reserved type 3: no inflater accepts it.
			socket.sendFrame(true, Frame.RSV1, Frame.BINARY, true, new byte[] { (byte) 0xFF, (byte) 0xFF, 0x00 });
			assertFailsWith(socket, INVALID_PAYLOAD);
		}
	}

	@Test
	void messageThatInflatesPastTheLimitIsClosedWith1009WhileOthersKeepTalking() throws Exception {
		try (RawWebSocket other = connect("/talk-to-server", PerMessageDeflate.BROWSER_OFFER);
				RawWebSocket bomb = connect("/talk-to-server", PerMessageDeflate.BROWSER_OFFER)) {
			// 10 MB of one character deflates to about 10 KB; the limit applies to what it inflates to.
			byte[] compressed = PerMessageDeflate.negotiated(bomb.header("Sec-WebSocket-Extensions"))
				.compress(repeated(10_000_000, 'z'));
			assertThat(compressed.length).isLessThan(20_000);
			bomb.sendFrame(true, Frame.RSV1, Frame.TEXT, true, compressed);
			Frame close = bomb.expectCloseFrame();
			assertThat(close.closeCode()).isEqualTo(TOO_BIG);
			assertThat(close.closeReasonText()).isEqualTo("message too big: the limit is 65536 bytes");
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(other.header("Sec-WebSocket-Extensions"));
			other.sendFrame(true, Frame.RSV1, Frame.TEXT, true, deflate.compress("still here".getBytes()));
			assertThat(new String(deflate.decompress(other.readMessage().payload()), StandardCharsets.UTF_8))
				.isEqualTo("Hello from server!");
		}
	}

	/**
	 * Sends {@code message} {@value #REPEATS} times, compressed, each in frames of about 1/{@code frames}
	 * of its compressed size (an empty continuation frame among them), from another thread, while this
	 * one reads the echoes, which start before the sending ends.
	 */
	private void echoesExactly(int opcode, byte[] message, String offer, int frames) throws Exception {
		try (RawWebSocket socket = connect("/echo", offer)) {
			PerMessageDeflate deflate = PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions"));
			Future<?> sent = this.sender.submit(() -> {
				for (int i = 0; i < REPEATS; i++) {
					sendInFrames(socket, opcode, deflate.compress(message), frames);
				}
				return null;
			});
			for (int i = 0; i < REPEATS; i++) {
				Message echo = socket.readMessage();
				assertThat(echo.opcode()).as("echo %d", i + 1).isEqualTo(opcode);
				assertThat(echo.compressed()).as("echo %d compressed", i + 1).isTrue();
				assertSameBytes(deflate.decompress(echo.payload()), message);
			}
			sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private static void sendInFrames(RawWebSocket socket, int opcode, byte[] compressed, int frames)
			throws IOException {
		if (frames == Integer.MAX_VALUE || compressed.length < 2) {
			socket.sendFrame(true, Frame.RSV1, opcode, true, compressed);
			return;
		}
		int size = Math.max(1, compressed.length / frames);
		socket.sendFrame(false, Frame.RSV1, opcode, true, Arrays.copyOf(compressed, size));
		socket.sendFrame(false, 0, Frame.CONTINUATION, true, new byte[0]);
		for (int start = size; start < compressed.length; start += size) {
			int end = Math.min(compressed.length, start + size);
			socket.sendFrame(end == compressed.length, 0, Frame.CONTINUATION, true,
					Arrays.copyOfRange(compressed, start, end));
		}
	}

	/** Like {@code assertFailsWith}, after whatever part of the echo the server sent before the bad frame. */
	private static void assertFailsWithAfterAnyEcho(RawWebSocket socket, int code) throws IOException {
		Frame frame = socket.readFrameSkippingPings();
		while (frame.opcode() != Frame.CLOSE) {
			assertThat(frame.fin()).as("a whole message echoed before the close: %s", frame).isFalse();
			frame = socket.readFrameSkippingPings();
		}
		assertThat(frame.closeCode()).as("close code in %s", frame).isEqualTo(code);
	}

	private double compressedSessions() {
		return this.registry.get("talk.sessions.compressed").tag("endpoint", "/talk-to-server").gauge().value();
	}

	private RawWebSocket connect(String path, String offer) throws IOException {
		RawWebSocket socket = RawWebSocket.connect(this.port, path, TIMEOUT,
				Map.of("Sec-WebSocket-Extensions", offer));
		assertThat(socket.status()).as("handshake status").isEqualTo(101);
		return socket;
	}

	private static byte[] random(int length) {
		byte[] bytes = new byte[length];
		new Random(7692).nextBytes(bytes);
		return bytes;
	}

	private static byte[] repeated(int length, char value) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, (byte) value);
		return bytes;
	}

	/** Text that compresses as prose does, about 3 to 1: lines that differ, in a small vocabulary. */
	private static byte[] variedText(int length) {
		String[] words = { "frame", "message", "deflate", "window", "context", "server", "client", "échange", "流",
				"🙂" };
		Random random = new Random(1951);
		StringBuilder text = new StringBuilder(length + 16);
		while (text.toString().getBytes(StandardCharsets.UTF_8).length < length) {
			for (int i = 0; i < 200; i++) {
				text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
			}
			text.append('\n');
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

}
