package dev.talktoserver.server.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import dev.talktoserver.support.RawWebSocket.Message;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No thread waits for a client: clients that send and never read are paused, not served by a blocked
 * thread, and a client that reads slowly sets the pace of what it is sent. The send time limit is long
 * here (60 s), so that the clients that do not read stay for the whole test; {@link SlowConsumerTests}
 * has them cut off. Tomcat serves every connection with 8 worker threads.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.send-time-limit=60s", "talk.compression.enabled=true",
				"logging.level.talk.messages=warn" })
class BackpressureTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Per endpoint, more than the 8 worker threads: together they would hold every one of them. */
	private static final int NON_READERS = 12;

	private static final Duration EACH_ANSWER_WITHIN = Duration.ofSeconds(1);

	@LocalServerPort
	private int port;

	@Autowired
	private SessionRegistry sessions;

	@Autowired
	private MeterRegistry registry;

	private final List<NonReader> nonReaders = new ArrayList<>();

	@AfterEach
	void closeNonReaders() throws IOException {
		for (NonReader nonReader : this.nonReaders) {
			nonReader.close();
		}
		await().atMost(TIMEOUT).until(() -> this.sessions.size() == 0);
	}

	@Test
	void clientsThatNeverReadHoldNoThreadWhileAWellBehavedClientAndLivenessAnswerAtOnce() throws Exception {
		// Random, so that compression does not shrink what the server sends back to nearly nothing.
		byte[] mebibyte = new byte[1024 * 1024];
		new Random(21).nextBytes(mebibyte);
		byte[] pipelined = pipelined(100, "x");
		for (int i = 0; i < NON_READERS; i++) {
			// Half of them compress, as browsers do: the server's frames to them are deflated.
			String offer = (i % 2 == 0) ? PerMessageDeflate.BROWSER_OFFER : null;
			this.nonReaders.add(NonReader.start(this.port, "/echo", offer, RawWebSocket.maskedFrame(true,
					Frame.BINARY, mebibyte)));
			this.nonReaders.add(NonReader.start(this.port, "/talk-to-server", offer, pipelined));
		}
		// Each has filled its socket buffers and the server has stopped reading from it.
		await().atMost(TIMEOUT).untilAsserted(() -> {
			for (String endpoint : List.of("/echo", "/talk-to-server")) {
				assertThat(this.registry.get("talk.sessions.held.back").tag("endpoint", endpoint).gauge().value())
					.isEqualTo(NON_READERS);
				assertThat(this.registry.get("talk.send.queued").tag("endpoint", endpoint).gauge().value())
					.isPositive();
			}
		});

		HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		HttpRequest liveness = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/liveness"))
			.timeout(TIMEOUT)
			.build();
		JdkTestClient talk = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient echo = JdkTestClient.connect(this.port, "/echo");
		try {
			for (int round = 0; round < 20; round++) {
				long start = System.nanoTime();
				assertThat(talk.roundTrip("round " + round)).isEqualTo("Hello from server!");
				assertThat(echo.roundTrip("round " + round)).isEqualTo("round " + round);
				assertThat(http.send(liveness, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("round %d: two round trips and liveness",
						round)
					.isLessThan(EACH_ANSWER_WITHIN);
			}
		}
		finally {
			talk.close();
			echo.close();
		}
		// None was cut off. Until every socket buffer between them is full, a client that is held back may
		// still take a little, be read from again and be held back once more (a loaded machine is slow to
		// get there): a count at one moment may be short by one.
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(this.sessions.size()).as("open, not cut off").isEqualTo(2 * NON_READERS);
			assertThat(this.sessions.heldBack()).as("held back").isEqualTo(2 * NON_READERS);
		});
	}

	@ParameterizedTest(name = "compressed: {0}")
	@ValueSource(booleans = { false, true })
	void slowReaderGetsEightMegabytesBackThroughEchoByteExactAtThePaceItReads(boolean compressed) throws Exception {
		double pausesBefore = pauses("/echo");
		Map<String, String> offer = compressed ? Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.BROWSER_OFFER)
				: Map.of();
		List<byte[]> messages = new ArrayList<>();
		Random random = new Random(21);
		for (int i = 0; i < 8; i++) {
			byte[] message = new byte[1024 * 1024];
			random.nextBytes(message);
			messages.add(message);
		}
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 8 * 1024, offer)) {
			PerMessageDeflate deflate = compressed
					? PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions")) : null;
			CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
				try {
					for (byte[] message : messages) {
						socket.sendFrame(true, Frame.BINARY, message);
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			AtomicLong mostQueued = new AtomicLong();
			for (int i = 0; i < messages.size(); i++) {
				Message echoed = readSlowly(socket, mostQueued);
				byte[] payload = echoed.compressed() ? deflate.decompress(echoed.payload()) : echoed.payload();
				assertThat(echoed.opcode()).isEqualTo(Frame.BINARY);
				assertThat(echoed.compressed()).isEqualTo(compressed);
				assertThat(Arrays.equals(payload, messages.get(i))).as("message %d byte for byte", i).isTrue();
			}
			sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			// What waited for it stayed near the send buffer's limit (16 KB), never near the 8 MB it was sent.
			assertThat(mostQueued.get()).isLessThan(64 * 1024);
		}
		assertThat(pauses("/echo")).as("times reading was paused").isGreaterThan(pausesBefore);
	}

	/**
	 * Eight at once, each sending while it reads with pauses: reading pauses and resumes on every one of
	 * them many times, from the threads that write to them as the client takes more, while the threads
	 * reading from them write too. Every echo comes back whole, and none of them stops.
	 */
	@Test
	void manyClientsThatReadWithPausesWhileTheySendAllGetTheirEchoes() throws Exception {
		double pausesBefore = pauses("/echo");
		// A thread for each client's reads and one for its sends.
		ExecutorService threads = Executors.newFixedThreadPool(16);
		try {
			List<CompletableFuture<Void>> clients = new ArrayList<>();
			for (int c = 0; c < 8; c++) {
				int client = c;
				clients.add(CompletableFuture.runAsync(() -> {
					try {
						echoWithPauses(client, threads);
					}
					catch (Exception ex) {
						throw new IllegalStateException("client " + client, ex);
					}
				}, threads));
			}
			CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(pauses("/echo")).isGreaterThan(pausesBefore);
	}

	private void echoWithPauses(int client, ExecutorService threads) throws Exception {
		Random random = new Random(client);
		List<byte[]> messages = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			byte[] message = new byte[128 * 1024];
			random.nextBytes(message);
			messages.add(message);
		}
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 8 * 1024)) {
			CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
				try {
					for (byte[] message : messages) {
						socket.sendFrame(true, Frame.BINARY, message);
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}, threads);
			AtomicLong mostQueued = new AtomicLong();
			for (int i = 0; i < messages.size(); i++) {
				assertThat(Arrays.equals(readSlowly(socket, mostQueued).payload(), messages.get(i)))
					.as("client %d, message %d", client, i)
					.isTrue();
			}
			sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	/**
	 * The largest message {@code /echo} takes, 16 MiB of text in one frame, read as fast as it comes: it
	 * passes through in parts, the reading thread writing each while the frames before it complete, and
	 * comes back whole (Autobahn's case 9.1.6, where reading once stopped for good).
	 */
	@ParameterizedTest(name = "compressed: {0}")
	@ValueSource(booleans = { false, true })
	void largestTextMessageInOneFrameComesBackWhole(boolean compressed) throws Exception {
		Map<String, String> offer = compressed ? Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.BROWSER_OFFER)
				: Map.of();
		byte[] message = new byte[16 * 1024 * 1024];
		Random random = new Random(96);
		for (int i = 0; i < message.length; i++) {
			message[i] = (byte) ('a' + random.nextInt(26));
		}
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 0, offer)) {
			PerMessageDeflate deflate = compressed
					? PerMessageDeflate.negotiated(socket.header("Sec-WebSocket-Extensions")) : null;
			CompletableFuture<Void> sending = sendAsync(socket, RawWebSocket.maskedFrame(true, Frame.TEXT, message));
			Message echoed = socket.readMessage();
			byte[] payload = echoed.compressed() ? deflate.decompress(echoed.payload()) : echoed.payload();
			assertThat(echoed.opcode()).isEqualTo(Frame.TEXT);
			assertThat(Arrays.equals(payload, message)).as("16 MiB byte for byte").isTrue();
			sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	@Test
	void clientThatSendsTenThousandMessagesBeforeReadingAnyGetsEveryReply() throws Exception {
		int count = 10_000;
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT, 8 * 1024)) {
			CompletableFuture<Void> sending = sendAsync(socket, pipelined(count, "m"));
			for (int i = 0; i < count; i++) {
				assertThat(socket.readMessage().text()).as("reply %d", i).isEqualTo("Hello from server!");
			}
			sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			socket.sendText("and one more");
			assertThat(socket.readMessage().text()).isEqualTo("Hello from server!");
		}
	}

	@Test
	void clientThatSendsTenThousandMessagesToEchoBeforeReadingAnyGetsEachBackInOrder() throws Exception {
		int count = 10_000;
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (int i = 0; i < count; i++) {
			frames.writeBytes(RawWebSocket.maskedFrame(true, Frame.TEXT, utf8("message " + i)));
		}
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 8 * 1024)) {
			CompletableFuture<Void> sending = sendAsync(socket, frames.toByteArray());
			for (int i = 0; i < count; i++) {
				assertThat(socket.readMessage().text()).isEqualTo("message " + i);
			}
			sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	/**
	 * Reads one message a frame at a time, at about 4 MB/s (a pause of a millisecond after each 4 KB),
	 * less than the server can echo, noting the most that waited to be sent meanwhile.
	 */
	private Message readSlowly(RawWebSocket socket, AtomicLong mostQueued) throws Exception {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		Frame first = socket.readFrameSkippingPings();
		Frame frame = first;
		int frames = 1;
		long sincePause = 0;
		payload.writeBytes(frame.payload());
		while (!frame.fin()) {
			sincePause += frame.payload().length;
			if (sincePause >= 4096) {
				mostQueued.accumulateAndGet(this.sessions.queuedBytes(), Math::max);
				TimeUnit.MILLISECONDS.sleep(1);
				sincePause = 0;
			}
			frame = socket.readFrameSkippingPings();
			payload.writeBytes(frame.payload());
			frames++;
		}
		return new Message(first.opcode(), payload.toByteArray(), frames, (first.reservedBits() & Frame.RSV1) != 0);
	}

	private double pauses(String endpoint) {
		return this.registry.get("talk.backpressure.pauses").tag("endpoint", endpoint).counter().count();
	}

	private static byte[] pipelined(int count, String text) {
		byte[] frame = RawWebSocket.maskedFrame(true, Frame.TEXT, utf8(text));
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (int i = 0; i < count; i++) {
			frames.writeBytes(frame);
		}
		return frames.toByteArray();
	}

	/** Writes {@code bytes} from another thread: the writes stop whenever the server stops reading. */
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

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The server's socket send buffers fixed at 16 KB: the kernel would otherwise let them grow to 4 MB,
	 * and a client that pipelines small messages would take the server a few hundred thousand replies to
	 * fill them, tens of seconds on a small machine, before any frame waits.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSocketBuffers {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketSendBuffers() {
			return (factory) -> factory
				.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "16384"));
		}

	}

	/**
	 * A client that writes the same frames over and over, on a thread of its own, and never reads; its
	 * writes block once the server stops reading from it. Closing it ends the thread.
	 */
	private static final class NonReader implements AutoCloseable {

		private final RawWebSocket socket;

		private final Thread writer;

		private NonReader(RawWebSocket socket, byte[] frames) {
			this.socket = socket;
			this.writer = new Thread(() -> {
				try {
					while (true) {
						socket.sendFrames(frames);
					}
				}
				catch (IOException ex) {
					// Closed: by the test, at its end.
				}
			}, "non-reader");
			this.writer.setDaemon(true);
			this.writer.start();
		}

		static NonReader start(int port, String path, String offer, byte[] frames) throws IOException {
			Map<String, String> headers = (offer != null) ? Map.of("Sec-WebSocket-Extensions", offer) : Map.of();
			RawWebSocket socket = RawWebSocket.connect(port, path, TIMEOUT, 4 * 1024, headers);
			assertThat(socket.status()).isEqualTo(101);
			return new NonReader(socket, frames);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
