package dev.talktoserver.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import dev.talktoserver.support.ScriptedWebSocketServer;
import dev.talktoserver.support.ScriptedWebSocketServer.Script;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line client end to end, run in this JVM against the real server on a random port (and,
 * for the failures a good server never causes, against a scripted one).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ClientCommandTests {

	@LocalServerPort
	private int port;

	@Test
	void withNoOptionsSendsHelloAndPrintsTheReply() {
		Run run = Run.of(url());
		assertThat(run.exitCode).isZero();
		assertThat(run.out).isEqualTo("Received: Hello from server!\n");
		assertThat(run.err).isEmpty();
	}

	@Test
	void eachMessageOptionIsSentAndEachReplyPrinted() {
		Run run = Run.of(url(), "--message", "one", "-m", "two", "--message", "three");
		assertThat(run.exitCode).isZero();
		assertThat(run.out.lines()).containsExactly("Received: Hello from server!", "Received: Hello from server!",
				"Received: Hello from server!");
	}

	@Test
	void interactiveWithPipedInputSendsEachLineAndExitsAfterTheLastReply() {
		Run run = Run.withInput("first\nsecond\nthird\nfourth\n", url(), "--interactive");
		assertThat(run.exitCode).isZero();
		assertThat(run.out.lines()).hasSize(4).allMatch("Received: Hello from server!"::equals);
	}

	@Test
	void refusedConnectionExits3WithOneLineThatSaysWhatToTry() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		Run run = Run.of("ws://127.0.0.1:" + closedPort + "/talk-to-server", "--connect-timeout", "3s");
		assertThat(run.exitCode).isEqualTo(3);
		assertThat(run.err).startsWith("error: cannot connect to 127.0.0.1:" + closedPort)
			.contains("is the server running");
		assertThat(run.err.lines()).hasSize(1);
		assertThat(run.out).isEmpty();
	}

	@Test
	void wrongPathExits4AndShowsTheHttpStatus() {
		Run run = Run.of("ws://localhost:" + this.port + "/no-such-path");
		assertThat(run.exitCode).isEqualTo(4);
		assertThat(run.err).startsWith("error: the server refused the WebSocket handshake with HTTP 404")
			.contains("/talk-to-server");
		assertThat(run.err.lines()).hasSize(1);
	}

	@Test
	void crossOriginHandshakeExits4WithStatus403() {
		Run run = Run.of(url(), "--origin", "http://elsewhere.example");
		assertThat(run.exitCode).isEqualTo(4);
		assertThat(run.err).contains("HTTP 403");
	}

	@Test
	void silentServerExits5AfterTheReplyTimeout() throws Exception {
		try (ScriptedWebSocketServer silent = ScriptedWebSocketServer.silent()) {
			Run run = Run.of("ws://127.0.0.1:" + silent.port() + "/talk-to-server", "--reply-timeout", "300ms");
			assertThat(run.exitCode).isEqualTo(5);
			assertThat(run.err).startsWith("error: no reply within 300 ms").contains("--reply-timeout");
			assertThat(run.err.lines()).hasSize(1);
		}
	}

	@Test
	void abnormalCloseExits6AndShowsCodeAndReason() throws Exception {
		try (ScriptedWebSocketServer closing = ScriptedWebSocketServer.closingWith(1011, "something broke")) {
			Run run = Run.of("ws://127.0.0.1:" + closing.port() + "/talk-to-server");
			assertThat(run.exitCode).isEqualTo(6);
			assertThat(run.err).startsWith("error: the server closed the connection with 1011 (something broke)");
			assertThat(run.err.lines()).hasSize(1);
		}
	}

	@Test
	void normalCloseFromTheServerWhileInputIsOpenExits6AndSaysSo() throws Exception {
		try (ScriptedWebSocketServer closing = ScriptedWebSocketServer
			.playing(Script.answer(1).thenCloseAtOnce(1000, "that is all"))) {
			Run run = Run.withInput(Run.openAfter("one\n"), closing.url(), "--interactive");
			assertThat(run.exitCode).isEqualTo(6);
			assertThat(run.out).isEqualTo("Received: Hello from server!\n");
			assertThat(run.err)
				.startsWith("error: the server closed the connection with 1000 (that is all): the server ended");
			assertThat(run.err.lines()).hasSize(1);
		}
	}

	@Test
	void verboseAddsTheStackTrace() {
		Run run = Run.of("ws://localhost:" + this.port + "/no-such-path", "--verbose");
		assertThat(run.exitCode).isEqualTo(4);
		assertThat(run.err.lines().count()).isGreaterThan(1);
		assertThat(run.err).contains("\tat ");
	}

	@Test
	void notAWebSocketUrlIsAUsageError() {
		Run run = Run.of("http://localhost:" + this.port + "/talk-to-server");
		assertThat(run.exitCode).isEqualTo(2);
		assertThat(run.err).contains("not a WebSocket URL").contains("--help");
	}

	@Test
	void helpTeachesOptionsExamplesAndExitCodes() {
		Run run = Run.of("--help");
		assertThat(run.exitCode).isZero();
		assertThat(run.out).contains("--message", "--interactive", "--origin", "--header", "--connect-timeout",
				"--reply-timeout", "Examples:", "Exit status:");
	}

	private String url() {
		return "ws://localhost:" + this.port + "/talk-to-server";
	}

	/** One run of the client with its exit code and everything it printed. */
	private record Run(int exitCode, String out, String err) {

		static Run of(String... args) {
			return withInput("", args);
		}

		static Run withInput(String input, String... args) {
			return withInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
		}

		static Run withInput(InputStream in, String... args) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int exitCode = TalkClient.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
			return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

		/**
		 * Standard input that gives {@code text} and then stays open, like a person who has stopped typing
		 * (the client's reader thread, a daemon, waits on it for good).
		 */
		static InputStream openAfter(String text) {
			InputStream silence = new InputStream() {
				@Override
				public int read() {
					try {
						new CountDownLatch(1).await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return -1;
				}
			};
			return new SequenceInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), silence);
		}

	}

}
