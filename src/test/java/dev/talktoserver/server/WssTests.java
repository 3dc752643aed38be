package dev.talktoserver.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code wss://} through Spring Boot's standard SSL bundle properties, with a self-signed certificate
 * made by keytool when the tests start; Spring's client and the JDK's each talk over it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class WssTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	static Path directory;

	private static TestCertificate certificate;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		certificate = TestCertificate.create(directory, "server", "dns:localhost,ip:127.0.0.1");
		certificate.serve(registry, "talk");
	}

	@Test
	void springClientTalksOverWss() throws Exception {
		StandardWebSocketClient client = new StandardWebSocketClient();
		client.setSslContext(certificate.trustingClientContext());
		Replies replies = new Replies();
		WebSocketSession session = client.execute(replies, new WebSocketHttpHeaders(), uri("localhost"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		session.sendMessage(new TextMessage("over TLS"));
		assertThat(replies.next()).isEqualTo("Hello from server!");
		session.close(CloseStatus.NORMAL);
	}

	@Test
	void jdkClientTalksOverWss() throws Exception {
		HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClientContext()).build();
		JdkTestClient client = JdkTestClient.connect(http, uri("127.0.0.1"), (handshake) -> {
		});
		assertThat(client.roundTrip("over TLS")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void clientThatDoesNotTrustTheCertificateCannotConnect() {
		HttpClient http = HttpClient.newHttpClient();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> JdkTestClient.connectAsync(http, uri("localhost"), (handshake) -> {
			}).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.withRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
			.havingCause()
			.isInstanceOf(SSLHandshakeException.class);
	}

	@Test
	void healthAnswersOverHttpsOnTheSamePort() throws Exception {
		HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClientContext()).build();
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/actuator/health/readiness"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private URI uri(String host) {
		return URI.create("wss://" + host + ":" + this.port + "/talk-to-server");
	}

}
