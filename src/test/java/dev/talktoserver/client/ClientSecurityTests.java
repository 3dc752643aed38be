package dev.talktoserver.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.talktoserver.support.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's TLS and token options against the real server over {@code wss://}, with a certificate made
 * at test time for {@code localhost} only (so that {@code 127.0.0.1} is a host name it does not name) and
 * {@code talk.auth.tokens} set.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "talk.auth.tokens=" + ClientSecurityTests.TOKEN)
class ClientSecurityTests {

	static final String TOKEN = "9b1e6c0d4a7f2e8b5c3d1a0f6e9b7c2d";

	private static final String WRONG_TOKEN = "1111222233334444aaaabbbbccccdddd";

	@TempDir
	static Path directory;

	private static TestCertificate certificate;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		certificate = TestCertificate.create(directory, "localhost", "dns:localhost");
		certificate.serve(registry, "talk");
	}

	@Test
	void caCertAndTokenTalkOverWss() {
		Run run = Run.of(url("localhost"), "--ca-cert", certificate.certificate().toString(), "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isZero();
		assertThat(run.out).isEqualTo("Received: Hello from server!\n");
		assertThat(run.err).isEmpty();
	}

	@Test
	void tokenFromTheEnvironmentIsSent() {
		Run run = Run.withEnvironment(Map.of("TALK_TOKEN", TOKEN), url("localhost"), "--ca-cert",
				certificate.certificate().toString());
		assertThat(run.exitCode).as(run.err).isZero();
	}

	@Test
	void tokenOptionWinsOverTheEnvironment() {
		Run run = Run.withEnvironment(Map.of("TALK_TOKEN", WRONG_TOKEN), url("localhost"), "--ca-cert",
				certificate.certificate().toString(), "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isZero();
	}

	@Test
	void untrustedCertificateExits3WithOneLineThatSaysWhatToDo() {
		Run run = Run.of(url("localhost"), "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isEqualTo(3);
		assertThat(run.err).isEqualTo("error: the certificate of localhost:" + this.port + " is not trusted: "
				+ "pass --ca-cert FILE with the server's certificate or CA, or --insecure to skip the check\n");
		assertThat(run.out).isEmpty();
	}

	@Test
	void hostNameTheCertificateDoesNotNameExits3WithOneLine() {
		Run run = Run.of(url("127.0.0.1"), "--ca-cert", certificate.certificate().toString(), "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isEqualTo(3);
		assertThat(run.err).isEqualTo("error: the certificate of 127.0.0.1:" + this.port + " is not valid for "
				+ "'127.0.0.1': connect by a host name the certificate names, or pass --insecure to skip the check\n");
	}

	@Test
	void insecureSkipsTheChecksAndWarnsOnStderr() {
		Run run = Run.of(url("127.0.0.1"), "--insecure", "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isZero();
		assertThat(run.out).isEqualTo("Received: Hello from server!\n");
		assertThat(run.err.lines()).singleElement()
			.asString()
			.startsWith("warning: --insecure: the server's certificate is not checked");
	}

	@Test
	void wssToAServerWithoutTlsExits3SayingSo() throws Exception {
		try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			// What a plain HTTP server such as Tomcat answers to a TLS hello: 400, then it hangs up.
			Thread server = new Thread(() -> {
				try (Socket socket = plain.accept()) {
					socket.getInputStream().read(new byte[512]);
					socket.getOutputStream()
						.write("HTTP/1.1 400 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
							.getBytes(StandardCharsets.US_ASCII));
				}
				catch (IOException ex) {
					// The client went away first: the test's assertions say what it saw.
				}
			}, "plain-http-server");
			server.setDaemon(true);
			server.start();
			Run run = Run.of("wss://127.0.0.1:" + plain.getLocalPort() + "/talk-to-server", "--insecure",
					"--connect-timeout", "3s");
			assertThat(run.exitCode).as(run.err).isEqualTo(3);
			assertThat(run.err.lines()).last()
				.isEqualTo("error: no TLS at 127.0.0.1:" + plain.getLocalPort()
						+ ": use a ws:// URL for a server without TLS");
		}
	}

	@Test
	void wsToTheTlsPortExits4SuggestingWss() {
		Run run = Run.of("ws://localhost:" + this.port + "/talk-to-server", "--token", TOKEN);
		assertThat(run.exitCode).as(run.err).isEqualTo(4);
		assertThat(run.err).isEqualTo("error: the server refused the WebSocket handshake with HTTP 400: the server "
				+ "did not accept the handshake request; if it serves TLS, use a wss:// URL\n");
	}

	@Test
	void missingTokenExits4WithAHint() {
		Run run = Run.of(url("localhost"), "--ca-cert", certificate.certificate().toString());
		assertThat(run.exitCode).as(run.err).isEqualTo(4);
		assertThat(run.err).isEqualTo("error: the server refused the WebSocket handshake with HTTP 401: "
				+ "the server wants a token: pass --token TOKEN or set TALK_TOKEN\n");
	}

	@Test
	void wrongTokenExits4AndIsNotPrintedEvenWhenVerbose() {
		Run run = Run.of(url("localhost"), "--ca-cert", certificate.certificate().toString(), "--token", WRONG_TOKEN,
				"--verbose");
		assertThat(run.exitCode).as(run.err).isEqualTo(4);
		assertThat(run.err).startsWith("error: the server refused the WebSocket handshake with HTTP 401: "
				+ "the server did not accept the token; check --token or TALK_TOKEN\n");
		assertThat(run.err + run.out).doesNotContain(WRONG_TOKEN);
	}

	@Test
	void caCertFileThatIsNotACertificateIsAUsageError() throws Exception {
		Path notACertificate = Files.writeString(directory.resolve("not-a-cert.pem"), "hello\n");
		Run run = Run.of(url("localhost"), "--ca-cert", notACertificate.toString());
		assertThat(run.exitCode).as(run.err).isEqualTo(2);
		assertThat(run.err).startsWith("error: cannot use --ca-cert " + notACertificate + ": not a PEM certificate");
		assertThat(run.err.lines()).hasSize(1);
	}

	@Test
	void missingCaCertFileIsAUsageError() {
		Run run = Run.of(url("localhost"), "--ca-cert", directory.resolve("no-such.pem").toString());
		assertThat(run.exitCode).as(run.err).isEqualTo(2);
		assertThat(run.err).contains("no such file");
	}

	@Test
	void caCertAndInsecureTogetherAreAUsageError() {
		Run run = Run.of(url("localhost"), "--insecure", "--ca-cert", certificate.certificate().toString());
		assertThat(run.exitCode).as(run.err).isEqualTo(2);
		assertThat(run.err).contains("--ca-cert and --insecure do not go together");
	}

	@Test
	void tokenOverPlainWsToAnotherHostIsWarnedAbout() {
		Run run = Run.of("ws://talk.invalid:1/talk-to-server", "--token", TOKEN, "--connect-timeout", "2s");
		assertThat(run.err.lines().findFirst()).hasValueSatisfying((line) -> assertThat(line)
			.isEqualTo("warning: the token goes to talk.invalid unencrypted over ws://; "
					+ "use wss:// so that no one on the path can read it"));
		assertThat(run.err).doesNotContain(TOKEN);
	}

	@Test
	void helpShowsTheSecurityOptionsAndExamples() {
		Run run = Run.of("--help");
		assertThat(run.out).contains("--token", "TALK_TOKEN", "--ca-cert", "--insecure", "wss://localhost:8443",
				"401 token");
	}

	private String url(String host) {
		return "wss://" + host + ":" + this.port + "/talk-to-server";
	}

	/** One run of the client with its exit code and everything it printed. */
	private record Run(int exitCode, String out, String err) {

		static Run of(String... args) {
			return withEnvironment(Map.of(), args);
		}

		static Run withEnvironment(Map<String, String> environment, String... args) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int exitCode = TalkClient.run(args, environment, new ByteArrayInputStream(new byte[0]),
					new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
			return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

	}

}
