package dev.talktoserver.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.talktoserver.support.ScriptedWebSocketServer;
import dev.talktoserver.support.ScriptedWebSocketServer.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --reconnect}: the client in this JVM against a scripted server that goes away in the ways a
 * real one does (1001 at shutdown, a dropped TCP connection, 503 while shutting down) and comes back.
 * The packaged client against real instances behind nginx is in {@code ScaleOutIT}.
 */
class ReconnectTests {

	/** Short waits between attempts, so that the tests take milliseconds. */
	private static final String[] FAST = { "--reconnect", "--reconnect-delay", "10ms" };

	@Test
	void messageUnansweredAt1001IsSentAgainOnTheNewConnectionAndEveryMessageGetsItsReply() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(1).thenClose(1001, "server shutting down"), Script.answerAll())) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one", "-m", "two", "-m", "three"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			assertThat(run.out.lines()).hasSize(3).allMatch(("Received: " + ScriptedWebSocketServer.REPLY)::equals);
			assertThat(server.received()).containsExactly("one", "two", "two", "three");
		}
	}

	@Test
	void eachReconnectIsOneLineOnStderrWithTheAttemptAndTheCause() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1001, "server shutting down"), Script.answerAll())) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			assertThat(run.err.lines()).hasSize(2);
			assertThat(run.err.lines().findFirst()).hasValueSatisfying((line) -> assertThat(line)
				.matches("reconnecting \\(attempt 1 of 10 in 0\\.0 s\\): server closed with 1001 server shutting down"));
			assertThat(run.err.lines().skip(1).findFirst())
				.hasValue("reconnected to " + server.url() + "; sending 1 unanswered message(s) again");
		}
	}

	@Test
	void droppedConnectionWithoutCloseFrameIsReconnectedAndPipedLinesAllGetReplies() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(Script.answer(1).thenDrop(),
				Script.answerAll())) {
			Run run = Run.withInput("a\nb\nc\n", with(FAST, server.url(), "--interactive"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			// At least once: when sending c finds the connection broken before a's reply has been read, a
			// is sent again too, and its first reply, arriving late, is printed as well.
			assertThat(run.out.lines()).hasSizeBetween(3, 4).allMatch(("Received: " + ScriptedWebSocketServer.REPLY)::equals);
			assertThat(run.err).contains("reconnecting (attempt 1 of 10", "reconnected to " + server.url());
			assertThat(server.received()).startsWith("a", "b").endsWith("b", "c");
		}
	}

	@Test
	void handshake503WhileReconnectingIsRetried() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1001, "server shutting down"), Script.refuse(503), Script.answerAll())) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			assertThat(run.err).contains("reconnecting (attempt 2 of 10 in ")
				.contains("the server refused the WebSocket handshake with HTTP 503");
			assertThat(run.out.lines()).hasSize(1);
		}
	}

	@Test
	void handshake429WhileReconnectingIsRetried() throws Exception {
		// The server may not yet have seen the lost connection go, and counts it in this client's share.
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1001, "server shutting down"), Script.refuse(429), Script.answerAll())) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			assertThat(run.err).contains("reconnecting (attempt 2 of 10 in ")
				.contains("the server refused the WebSocket handshake with HTTP 429: this client holds all the"
						+ " connections the server allows one client");
			assertThat(run.out.lines()).hasSize(1);
		}
	}

	@Test
	void aTokenThatExpiredIsReadAgainFromItsFileForTheReconnect(@TempDir Path folder) throws Exception {
		Path tokenFile = folder.resolve("token");
		Files.writeString(tokenFile, "first-token\n");
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(1).thenClose(1008, "token expired: connect again with a new token"), Script.answerAll())) {
			// The token is renewed while the first connection is open, as a sidecar would renew it.
			server.onHandshake(() -> write(tokenFile, "second-token"));
			Run run = Run.of(with(FAST, server.url(), "--token-file", tokenFile.toString(), "-m", "one", "-m", "two"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
			assertThat(run.err).contains("reconnecting (attempt 1 of 10 in ")
				.contains("server closed with 1008 token expired");
			assertThat(server.authorizations()).containsExactly("Bearer first-token", "Bearer second-token");
			assertThat(run.out.lines()).hasSize(2);
		}
	}

	private static void write(Path file, String text) {
		try {
			Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void handshake403WhileReconnectingEndsTheRunWithExit4() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1001, "server shutting down"), Script.refuse(403))) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isEqualTo(4);
			assertThat(run.err.lines().filter((line) -> line.startsWith("reconnecting"))).hasSize(1);
			assertThat(run.err).contains("error: the server refused the WebSocket handshake with HTTP 403");
		}
	}

	@Test
	void whenEveryAttemptFailsTheRunEndsWithTheExitStatusOfTheLostConnection() throws Exception {
		// After its one script the server stops listening: each attempt is refused.
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer
			.playing(Script.answer(0).thenClose(1001, "server shutting down"))) {
			Run run = Run.of(with(FAST, server.url(), "--reconnect-attempts", "3", "-m", "one"));
			assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isEqualTo(6);
			assertThat(run.err.lines().filter((line) -> line.startsWith("reconnecting"))).hasSize(3);
			assertThat(run.err).contains("reconnecting (attempt 3 of 3 in ")
				.contains("): cannot connect to 127.0.0.1:" + server.port() + ": connection refused\n");
			assertThat(run.err.lines().reduce((first, second) -> second)).hasValueSatisfying((last) -> assertThat(last)
				.startsWith("error: the server closed the connection with 1001 (server shutting down)")
				.endsWith("(gave up after 3 reconnect attempt(s); the last: cannot connect to 127.0.0.1:" + server.port()
						+ ": connection refused)"));
		}
	}

	@Test
	void policyCloseIsNotRetried() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1008, "too many messages"), Script.answerAll())) {
			Run run = Run.of(with(FAST, server.url(), "-m", "one"));
			assertThat(run.exitCode).isEqualTo(6);
			assertThat(run.err).doesNotContain("reconnecting")
				.startsWith("error: the server closed the connection with 1008 (too many messages)");
		}
	}

	@Test
	void withoutReconnectA1001EndsTheRunWithExit6AndSuggestsReconnect() throws Exception {
		try (ScriptedWebSocketServer server = ScriptedWebSocketServer.playing(
				Script.answer(0).thenClose(1001, "server shutting down"), Script.answerAll())) {
			Run run = Run.of(server.url(), "-m", "one");
			assertThat(run.exitCode).isEqualTo(6);
			assertThat(run.err).contains("--reconnect");
			assertThat(run.err.lines()).hasSize(1);
		}
	}

	@Test
	void reconnectAttemptsBelowOneIsAUsageError() {
		Run run = Run.of("--reconnect", "--reconnect-attempts", "0");
		assertThat(run.exitCode).isEqualTo(2);
		assertThat(run.err).contains("--reconnect-attempts must be at least 1");
	}

	@Test
	void helpSaysDeliveryIsAtLeastOnceAndShowsAReconnectExample() {
		Run run = Run.of("--help");
		assertThat(run.out).contains("--reconnect-attempts", "--reconnect-delay", "--reconnect-max-delay",
				"at least once", "client -i --reconnect");
	}

	@Test
	void waitCeilingDoublesFromTheInitialDelayUpToTheCap() {
		Reconnect reconnect = new Reconnect(10, Duration.ofMillis(500), Duration.ofSeconds(3));
		assertThat(reconnect.ceiling(1)).isEqualTo(Duration.ofMillis(500));
		assertThat(reconnect.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
		assertThat(reconnect.ceiling(3)).isEqualTo(Duration.ofSeconds(2));
		assertThat(reconnect.ceiling(4)).isEqualTo(Duration.ofSeconds(3));
		assertThat(reconnect.ceiling(60)).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void eachWaitIsRandomBetweenZeroAndTheCeiling() {
		Reconnect reconnect = new Reconnect(10, Duration.ofMillis(500), Duration.ofSeconds(3));
		for (int i = 0; i < 1000; i++) {
			assertThat(reconnect.delayBefore(2)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
		}
		assertThat(java.util.stream.IntStream.range(0, 100).mapToObj((i) -> reconnect.delayBefore(2)).distinct())
			.as("the waits are spread out").hasSizeGreaterThan(50);
	}

	private static String[] with(String[] first, String... rest) {
		String[] all = new String[first.length + rest.length];
		System.arraycopy(rest, 0, all, 0, rest.length);
		System.arraycopy(first, 0, all, rest.length, first.length);
		return all;
	}

	/** One run of the client with its exit code and everything it printed. */
	private record Run(int exitCode, String out, String err) {

		static Run of(String... args) {
			return withInput("", args);
		}

		static Run withInput(String input, String... args) {
			InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int exitCode = TalkClient.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
			return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

	}

}
