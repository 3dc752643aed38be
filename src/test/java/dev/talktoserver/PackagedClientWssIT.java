package dev.talktoserver;

import java.nio.file.Path;

import dev.talktoserver.support.PackagedClient;
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
 * The packaged client over wss:// to a server with TLS: its buffers are Tomcat's own, not the server's
 * 512 bytes, which cannot hold a decrypted TLS record (a {@code ReadBufferOverflowException} in the
 * handshake, exit 1, until this was found). The server runs in this JVM; the client in a process of its own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PackagedClientWssIT {

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
	void caCertTalksOverWss() throws Exception {
		PackagedClient run = PackagedClient.run("wss://localhost:" + this.port + "/talk-to-server", "--ca-cert",
				certificate.certificate().toString(), "-m", "one", "-m", "two");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).isEqualTo("Received: Hello from server!\nReceived: Hello from server!\n");
		assertThat(run.err()).isEmpty();
	}

	@Test
	void insecureTalksOverWssWithItsWarning() throws Exception {
		PackagedClient run = PackagedClient.run("wss://127.0.0.1:" + this.port + "/talk-to-server", "--insecure");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).isEqualTo("Received: Hello from server!\n");
		assertThat(run.err()).startsWith("warning: --insecure");
	}

}
