package dev.talktoserver.server.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link GracefulShutdown} does when it stops, with the web server left running so that what
 * happens next can be watched: open sessions are told "server shutting down" with 1001, readiness goes
 * down, and new handshakes get 503 with {@code Retry-After}; a client with a full send queue gets its
 * close after the frame under way, and one that takes nothing is dropped. Each test stops it itself;
 * the context is no use afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class GracefulShutdownTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private GracefulShutdown gracefulShutdown;

	@Autowired
	private SessionRegistry sessions;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@Test
	void stopClosesOpenSessionsWith1001() throws Exception {
		List<String> paths = List.of("/talk-to-server", "/talk-to-server", "/echo");
		List<JdkTestClient> sessions = new ArrayList<>();
		for (String path : paths) {
			JdkTestClient session = JdkTestClient.connect(this.port, path);
			assertThat(session.roundTrip("hello")).as("reply on %s", path).isNotEmpty();
			sessions.add(session);
		}
		this.gracefulShutdown.stop();
		for (int i = 0; i < sessions.size(); i++) {
			assertThat(sessions.get(i).awaitClose()).as("close on %s", paths.get(i))
				.isEqualTo(new Close(1001, "server shutting down"));
		}
		assertThat(this.gracefulShutdown.isRunning()).isFalse();
	}

	@Test
	void stopClosesAClientWithAFullQueueWith1001OnceItReadsAndDropsOneThatNeverDoes() throws Exception {
		byte[] message = new byte[64 * 1024];
		new Random(21).nextBytes(message);
		RawWebSocket readsLater = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 4096);
		RawWebSocket neverReads = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 4096);
		ExecutorService senders = Executors.newFixedThreadPool(3);
		try {
			for (RawWebSocket socket : List.of(readsLater, neverReads)) {
				senders.submit(() -> {
					while (true) {
						socket.sendFrame(true, Frame.BINARY, message);
					}
				});
			}
			await().atMost(TIMEOUT).until(() -> this.sessions.heldBack() == 2);
			JdkTestClient other = JdkTestClient.connect(this.port, "/talk-to-server");
			assertThat(other.roundTrip("hello")).isEqualTo("Hello from server!");

			long start = System.nanoTime();
			Future<?> stopping = senders.submit(() -> this.gracefulShutdown.stop());
			assertThat(other.awaitClose()).isEqualTo(new Close(1001, "server shutting down"));
			// What waited for it is dropped; the frame under way comes first, then the close.
			Frame frame = readsLater.readFrameSkippingPings();
			while (frame.opcode() != Frame.CLOSE) {
				frame = readsLater.readFrameSkippingPings();
			}
			assertThat(frame.closeCode()).isEqualTo(1001);
			stopping.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stop, with a client that never reads")
				.isLessThan(Duration.ofSeconds(8));
			assertThat(this.sessions.size()).as("the one that never read, dropped").isZero();
		}
		finally {
			readsLater.close();
			neverReads.close();
			senders.shutdownNow();
		}
	}

	@Test
	void stopTakesReadinessDown() throws Exception {
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		this.gracefulShutdown.stop();
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(503);
		assertThat(readiness.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/talk-to-server", "/echo" })
	void handshakesAfterStopGet503WithRetryAfter(String path) throws Exception {
		this.gracefulShutdown.stop();
		try (RawWebSocket webSocket = RawWebSocket.connect(this.port, path, TIMEOUT)) {
			assertThat(webSocket.status()).isEqualTo(503);
			assertThat(webSocket.header("Retry-After")).isEqualTo("1");
			assertThat(webSocket.header("Sec-WebSocket-Accept")).isNull();
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
