package dev.talktoserver.server.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import dev.talktoserver.support.RawWebSocket.Message;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Large messages are read into buffers grown for them, kept while large messages follow one another,
 * and small again after a small message or once the client is quiet ({@link ReadBufferGrowth}): the bytes
 * come back exactly, however the client cuts the message into frames, compressed or not, text with
 * characters of every UTF-8 length (whose bytes the part and frame boundaries split), and a connection
 * that has had a large message holds no more than one that has not. The memory budget is small here (8 MB), so that the read buffers may grow by 1 MB at most.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.compression.enabled=true", "talk.memory-budget=8MB", "logging.level.talk.messages=warn" })
class LargeMessageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final long GROWTH_ALLOWANCE = 1024 * 1024;

	@LocalServerPort
	private int port;

	@Autowired
	private SessionRegistry sessions;

	@Autowired
	private MeterRegistry registry;

	@AfterEach
	void allGone() {
		// A session gives its read buffers back just after it leaves the registry.
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(this.sessions.size()).isZero();
			assertThat(grown()).as("read buffers of closed connections").isZero();
		});
	}

	@ParameterizedTest(name = "{0}, {1}-byte frames, compressed: {2}")
	@CsvSource({ "text, 0, false", "text, 4096, false", "text, 1000, false", "binary, 0, false",
			"binary, 4096, false", "text, 0, true", "text, 4096, true", "binary, 4096, true" })
	void largeMessagesComeBackExactlyAndTheBuffersAreSmallAgainAfterwards(String type, int frameSize,
			boolean compressed) throws Exception {
		Map<String, String> offer = compressed ? Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.BROWSER_OFFER)
				: Map.of();
		int opcode = type.equals("text") ? Frame.TEXT : Frame.BINARY;
		Random random = new Random(22);
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 0, offer)) {
			PerMessageDeflate deflate = compressed
					? PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions")) : null;
			// Large, small between (the buffers go back and grow again), just over a part, larger still.
			for (int size : new int[] { 300_000, 20, 600, 70_000, 5_000, 1_100_000 }) {
				byte[] message = (opcode == Frame.TEXT) ? mixedUtf8(size, random) : randomBytes(size, random);
				byte[] payload = compressed ? deflate.compress(message) : message;
				CompletableFuture<Void> sending = sendAsync(socket, frames(opcode, payload, frameSize, compressed));
				Message echoed = socket.readMessage();
				byte[] back = echoed.compressed() ? deflate.decompress(echoed.payload()) : echoed.payload();
				assertThat(echoed.opcode()).isEqualTo(opcode);
				assertThat(back.length).as("length of the %d-byte message", size).isEqualTo(message.length);
				assertThat(Arrays.equals(back, message)).as("the %d-byte message, byte for byte", size).isTrue();
				sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			// The last message ended the growth: the connection holds what an idle one does.
			await().atMost(TIMEOUT).until(() -> grown() == 0 && heldBeyondIdle() == 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "text", "binary" })
	void largeMessagesInARowArriveInOnePartEachAndTheBuffersGoBackOnceTheClientIsQuiet(String type)
			throws Exception {
		int opcode = type.equals("text") ? Frame.TEXT : Frame.BINARY;
		Random random = new Random(5);
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT)) {
			// Over the size that grows the buffers, under a grown part.
			byte[] message = (opcode == Frame.TEXT) ? mixedUtf8(6_000, random) : randomBytes(6_000, random);
			assertThat(echo(socket, opcode, message)).isEqualTo(message);
			allPartsHandled(socket);
			double partsBefore = handlerCalls();
			for (int i = 0; i < 20; i++) {
				assertThat(echo(socket, opcode, message)).isEqualTo(message);
			}
			allPartsHandled(socket);
			assertThat(handlerCalls() - partsBefore).as("parts of 20 messages after the first").isEqualTo(20);
			assertThat(grown()).as("the buffers between large messages").isPositive();
			// Quiet now: the heartbeat's sweep puts them back within a second or two.
			await().atMost(TIMEOUT).until(() -> grown() == 0 && heldBeyondIdle() == 0);
			byte[] small = randomBytes(100, random);
			assertThat(echo(socket, Frame.BINARY, small)).isEqualTo(small);
			assertThat(echo(socket, opcode, message)).isEqualTo(message);
		}
	}

	@Test
	void largeMessagesToTalkToServerAreAnsweredAndTheBuffersAreSmallAgainAfterwards() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		try {
			String large = new String(mixedUtf8(60_000, new Random(7)), StandardCharsets.UTF_8);
			for (int i = 0; i < 3; i++) {
				assertThat(client.roundTrip(large)).isEqualTo("Hello from server!");
				assertThat(client.roundTrip("small")).isEqualTo("Hello from server!");
			}
			await().atMost(TIMEOUT).until(() -> grown() == 0);
		}
		finally {
			client.close();
		}
	}

	@Test
	void manyUnfinishedLargeMessagesGrowNoMoreThanTheAllowanceWhileOthersAreServed() throws Exception {
		List<RawWebSocket> unfinished = new ArrayList<>();
		try {
			byte[] start = randomBytes(64 * 1024, new Random(3));
			for (int i = 0; i < 40; i++) {
				RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT);
				unfinished.add(socket);
				// The header says 1 MiB; 64 KiB of it come, then nothing.
				byte[] frame = RawWebSocket.maskedFrame(true, Frame.BINARY, new byte[1024 * 1024]);
				socket.sendFrames(Arrays.copyOf(frame, 14 + start.length));
			}
			await().atMost(TIMEOUT).until(() -> grown() > 0);
			assertThat(grown()).isLessThanOrEqualTo(GROWTH_ALLOWANCE);
			try (RawWebSocket other = RawWebSocket.connect(this.port, "/echo", TIMEOUT)) {
				byte[] message = randomBytes(200_000, new Random(4));
				other.sendFrames(RawWebSocket.maskedFrame(true, Frame.BINARY, message));
				assertThat(other.readMessage().payload()).isEqualTo(message);
			}
			assertThat(grown()).isLessThanOrEqualTo(GROWTH_ALLOWANCE);
		}
		finally {
			for (RawWebSocket socket : unfinished) {
				socket.close();
			}
		}
	}

	private static byte[] echo(RawWebSocket socket, int opcode, byte[] message) throws IOException {
		socket.sendFrames(RawWebSocket.maskedFrame(true, opcode, message));
		Message echoed = socket.readMessage();
		assertThat(echoed.opcode()).isEqualTo(opcode);
		return echoed.payload();
	}

	/**
	 * Returns once the handler has returned from every part sent so far (the echo may come back before
	 * it does): the pong comes from the thread that delivers the parts, after them.
	 */
	private static void allPartsHandled(RawWebSocket socket) throws IOException {
		socket.sendFrames(RawWebSocket.maskedFrame(true, Frame.PING, new byte[] { 1 }));
		assertThat(socket.readFrame().opcode()).isEqualTo(Frame.PONG);
	}

	/** Calls to /echo's handler: one per message, or per part of a message that arrives in parts. */
	private double handlerCalls() {
		return this.registry.get("talk.handler.time").tag("endpoint", "/echo").timer().count();
	}

	private double grown() {
		return this.registry.get("talk.read.buffers.grown").gauge().value();
	}

	private long heldBeyondIdle() {
		long held = 0;
		for (TalkSession session : this.sessions.all()) {
			held += session.heldBytes();
		}
		return held;
	}

	/** The message as frames of {@code frameSize} bytes (0: one frame); the first marked compressed. */
	private static byte[] frames(int opcode, byte[] payload, int frameSize, boolean compressed) {
		int size = (frameSize > 0) ? frameSize : Math.max(payload.length, 1);
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		int offset = 0;
		do {
			int end = Math.min(payload.length, offset + size);
			boolean first = offset == 0;
			frames.writeBytes(RawWebSocket.maskedFrame(end == payload.length, first ? opcode : Frame.CONTINUATION,
					(first && compressed) ? Frame.RSV1 : 0, Arrays.copyOfRange(payload, offset, end)));
			offset = end;
		}
		while (offset < payload.length);
		return frames.toByteArray();
	}

	/** About {@code size} bytes of UTF-8: characters of one, two, three and four bytes, mixed. */
	private static byte[] mixedUtf8(int size, Random random) {
		String[] characters = { "a", "é", "€", "😀", "z", "ß", "中" };
		StringBuilder text = new StringBuilder(size);
		int bytes = 0;
		while (bytes < size) {
			String character = characters[random.nextInt(characters.length)];
			text.append(character);
			bytes += character.getBytes(StandardCharsets.UTF_8).length;
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] randomBytes(int size, Random random) {
		byte[] bytes = new byte[size];
		random.nextBytes(bytes);
		return bytes;
	}

	private static CompletableFuture<Void> sendAsync(RawWebSocket socket, byte[] bytes) {
		return CompletableFuture.runAsync(() -> {
			try {
				socket.sendFrames(bytes);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

}
