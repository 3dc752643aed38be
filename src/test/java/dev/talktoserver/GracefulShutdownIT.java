package dev.talktoserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a SIGTERM does to the packaged jar, run in a process of its own with connections from the JDK's
 * {@code java.net.http.WebSocket}, a client that shares no code with the server: every open session is
 * told "server shutting down" with 1001 rather than dropped, and the process exits within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
class GracefulShutdownIT {

	private static final int SESSIONS = 100;

	/** The close code for an endpoint that is going away (RFC 6455 section 7.4.1). */
	private static final int GOING_AWAY = 1001;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	/** Every session hears of the shutdown well within the shutdown phase's 20 s. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

	/** {@code spring.lifecycle.timeout-per-shutdown-phase} is 20 s; the rest is JVM exit. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(25);

	/** How long each readiness poll waits for the process to die before it asks again. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

	private Process process;

	private Path log;

	@AfterEach
	void killProcess() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void sigtermClosesEverySessionWith1001AndExitsWithinTheShutdownPhase() throws Exception {
		int port = freePort();
		start(port);
		awaitReady(port);
		List<Session> sessions = openTalkingSessions(port);

		this.process.destroy();

		awaitAll(sessions, CLOSE_TIMEOUT);
		for (Session session : sessions) {
			assertThat(session.error).as("session %d: onError", session.number).isNotDone();
			assertThat(session.closed).as("session %d: onClose within %s", session.number, CLOSE_TIMEOUT)
				.isCompletedWithValue(new Close(GOING_AWAY, "server shutting down"));
		}
		assertThat(this.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.as("process exited within %s; log:%n%s", EXIT_TIMEOUT, readLog())
			.isTrue();
		assertThat(this.process.exitValue()).as("exit code; log:%n%s", readLog()).isIn(0, 143);
		assertThat(readLog()).contains("shutting down: closing " + SESSIONS + " WebSocket session(s) with 1001")
			.doesNotContain("did not answer the close in time");
	}

	private void start(int port) throws IOException {
		Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged jar (system property talk.jar)").isRegularFile();
		this.log = jar.resolveSibling("graceful-shutdown-it.log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.process = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + port,
				"--server.address=127.0.0.1")
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
	}

	/**
	 * Asks for readiness until it answers 200. Between attempts it waits on the process itself, so a
	 * server that fails to start fails the test at once, with its log.
	 */
	private void awaitReady(int port) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("http", port, "/actuator/health/readiness"))
			.timeout(CLIENT_TIMEOUT)
			.build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			if (this.process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
				fail("the server exited with %d before it was ready; log:%n%s", this.process.exitValue(), readLog());
			}
		}
		fail("the server was not ready within %s; log:%n%s", STARTUP_TIMEOUT, readLog());
	}

	/** Opens the sessions and has each one get its reply, so that all are open for sure. */
	private List<Session> openTalkingSessions(int port) throws Exception {
		List<Session> sessions = new ArrayList<>();
		List<CompletableFuture<WebSocket>> connections = new ArrayList<>();
		for (int i = 1; i <= SESSIONS; i++) {
			Session session = new Session(i);
			sessions.add(session);
			connections.add(this.http.newWebSocketBuilder()
				.connectTimeout(CLIENT_TIMEOUT)
				.buildAsync(uri("ws", port, "/talk-to-server"), session));
		}
		CompletableFuture.allOf(connections.toArray(CompletableFuture[]::new))
			.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		for (Session session : sessions) {
			connections.get(session.number - 1).join().sendText("Hello from client " + session.number, true);
		}
		for (Session session : sessions) {
			try {
				assertThat(session.firstText.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
					.as("session %d: reply", session.number)
					.isEqualTo("Hello from server!");
			}
			catch (TimeoutException ex) {
				fail("session %d: no reply within %s", session.number, CLIENT_TIMEOUT);
			}
		}
		return sessions;
	}

	/** Waits for every session to end, however it ends, or for the timeout: the caller sees which did. */
	private static void awaitAll(List<Session> sessions, Duration timeout) throws InterruptedException {
		CompletableFuture<?>[] ends = sessions.stream()
			.map((session) -> session.closed.exceptionally((ex) -> null))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(ends).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			// Reported session by session.
		}
	}

	private String readLog() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(log " + this.log + " unreadable: " + ex + ")";
		}
	}

	private static URI uri(String scheme, int port, String path) {
		return URI.create(scheme + "://127.0.0.1:" + port + path);
	}

	/** A port nothing listens on now; another process could take it before the server does, rarely. */
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private record Close(int code, String reason) {
	}

	/** One client session: its first reply, then how it ended. */
	private static final class Session implements WebSocket.Listener {

		private final int number;

		private final CompletableFuture<String> firstText = new CompletableFuture<>();

		private final CompletableFuture<Close> closed = new CompletableFuture<>();

		private final CompletableFuture<Throwable> error = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		Session(int number) {
			this.number = number;
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

		/** Returning null has the client answer the close at once. */
		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.error.complete(error);
			this.closed.completeExceptionally(error);
		}

	}

}
