package dev.talktoserver.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A renewed certificate is taken up without a restart: the SSL bundle is watched
 * ({@code reload-on-update}), and new handshakes get the new certificate while open connections stay.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CertificateReloadTests {

	@TempDir
	static Path directory;

	private static TestCertificate served;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		served = TestCertificate.create(directory, "first", "dns:localhost,ip:127.0.0.1");
		served.serve(registry, "talk");
		// The default waits 10 s for writes to settle; a test need not.
		registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
	}

	@Test
	void renewedKeyStoreIsServedToNewHandshakesAndOpenConnectionsStay() throws Exception {
		HttpClient trustingFirst = HttpClient.newBuilder().sslContext(served.trustingClientContext()).build();
		JdkTestClient open = JdkTestClient.connect(trustingFirst, uri(), (handshake) -> {
		});
		assertThat(open.roundTrip("before")).isEqualTo("Hello from server!");

		Path renewedDirectory = Files.createDirectory(directory.resolve("renewed"));
		TestCertificate renewed = TestCertificate.create(renewedDirectory, "second", "dns:localhost,ip:127.0.0.1");
		Files.copy(renewed.keyStore(), served.keyStore(), StandardCopyOption.REPLACE_EXISTING);

		HttpClient trustingSecond = HttpClient.newBuilder().sslContext(renewed.trustingClientContext()).build();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> connects(trustingSecond));
		assertThat(open.roundTrip("after")).isEqualTo("Hello from server!");
		open.close();
	}

	private boolean connects(HttpClient http) throws InterruptedException {
		try {
			JdkTestClient.connectAsync(http, uri(), (handshake) -> {
			}).get(5, TimeUnit.SECONDS).close();
			return true;
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			return false;
		}
	}

	private URI uri() {
		return URI.create("wss://localhost:" + this.port + "/talk-to-server");
	}

}
