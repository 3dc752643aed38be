package dev.talktoserver.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link GracefulShutdown} does when it stops, with the web server left running so that what
 * happens next can be watched: open sessions are told "server shutting down" with 1001, readiness goes
 * down, and new handshakes get 503 with {@code Retry-After}. Each test stops it itself; the context is
 * no use afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class GracefulShutdownTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private GracefulShutdown gracefulShutdown;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@Test
	void stopClosesOpenSessionsWith1001() throws Exception {
		List<Session> sessions = new ArrayList<>();
		for (String path : List.of("/talk-to-server", "/talk-to-server", "/echo")) {
			sessions.add(openAndTalk(path));
		}
		this.gracefulShutdown.stop();
		for (Session session : sessions) {
			assertThat(session.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("close on %s", session.path)
				.isEqualTo(new Close(1001, "server shutting down"));
		}
		assertThat(this.gracefulShutdown.isRunning()).isFalse();
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

	private Session openAndTalk(String path) throws Exception {
		Session session = new Session(path);
		WebSocket webSocket = this.http.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + path), session)
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		webSocket.sendText("hello", true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(session.firstText.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("reply on %s", path).isNotEmpty();
		return session;
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private record Close(int code, String reason) {
	}

	/** One client session: its first reply, then how it ended. */
	private static final class Session implements WebSocket.Listener {

		private final String path;

		private final CompletableFuture<String> firstText = new CompletableFuture<>();

		private final CompletableFuture<Close> closed = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		Session(String path) {
			this.path = path;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.firstText.complete(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
