package dev.talktoserver.server;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.handshake-timeout}, here 500 ms: a connection that does not finish its upgrade request
 * in time is dropped, and upgraded connections are not subject to it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.handshake-timeout=500ms")
class HandshakeTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Test
	void halfSentHandshakeIsDropped() throws Exception {
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write("GET /talk-to-server HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			assertDroppedWithinTimeout(socket);
		}
	}

	@Test
	void connectionThatSendsNothingIsDropped() throws Exception {
		try (Socket socket = connect()) {
			assertDroppedWithinTimeout(socket);
		}
	}

	@Test
	void upgradedConnectionOutlivesTheHandshakeTimeout() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		try (Socket dropped = connect()) {
			// By the time the silent connection is dropped, the handshake timeout has passed.
			assertDroppedWithinTimeout(dropped);
		}
		assertThat(client.roundTrip("still here")).isEqualTo("Hello from server!");
		client.close();
	}

	private Socket connect() throws Exception {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) TIMEOUT.toMillis());
		socket.setSoTimeout((int) TIMEOUT.toMillis());
		return socket;
	}

	private static void assertDroppedWithinTimeout(Socket socket) throws Exception {
		long start = System.nanoTime();
		InputStream in = socket.getInputStream();
		int read = in.read();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// Tomcat may answer 408 before closing; either way the connection ends.
		while (read != -1) {
			read = in.read();
		}
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(5));
	}

}
