package dev.talktoserver.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.talktoserver.support.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code talk.max-connections-per-client}, here 3: a client past its share gets 429 with
 * {@code Retry-After}, logged once and counted, while other clients still connect and its own connections
 * keep working. Clients are told apart by their address as a trusted proxy reports it
 * ({@code X-Forwarded-For} from loopback, {@code server.forward-headers-strategy=native}), as behind nginx.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.max-connections-per-client=3", "server.forward-headers-strategy=native" })
@ExtendWith(OutputCaptureExtension.class)
class ClientShareTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String CLIENT = "203.0.113.7";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void aClientPastItsShareGets429WhileOthersStillConnect(CapturedOutput output) throws Exception {
		List<RawWebSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				held.add(connect(CLIENT, "/echo"));
				assertThat(held.get(i).status()).isEqualTo(101);
			}
			for (int i = 0; i < 2; i++) {
				try (RawWebSocket refused = connect(CLIENT, "/talk-to-server")) {
					assertThat(refused.status()).isEqualTo(429);
					assertThat(refused.header("Retry-After")).isEqualTo("10");
				}
			}
			assertThat(output.getOut()).containsOnlyOnce(
					"refused with 429: " + CLIENT + " holds its share of 3 connections (talk.max-connections-per-client)");
			assertThat(this.registry.get("talk.handshakes.rejected").tag("reason", "client_share").counter().count())
				.isEqualTo(2);
			try (RawWebSocket other = connect("203.0.113.8", "/echo");
					RawWebSocket direct = RawWebSocket.connect(this.port, "/echo", TIMEOUT)) {
				assertThat(other.status()).isEqualTo(101);
				assertThat(direct.status()).isEqualTo(101);
			}
			held.get(0).sendText("still here");
			assertThat(held.get(0).readMessage().text()).isEqualTo("still here");

			// One closed: its share comes back, and the client connects again.
			held.remove(0).close();
			await().atMost(TIMEOUT).until(() -> {
				RawWebSocket again = connect(CLIENT, "/echo");
				if (again.status() == 101) {
					held.add(again);
					return true;
				}
				again.close();
				return false;
			});
		}
		finally {
			for (RawWebSocket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void handshakesThatFailAfterTheGateGiveTheirShareBack() throws Exception {
		String client = "203.0.113.9";
		for (int i = 0; i < 5; i++) {
			assertThat(handshakeWithoutConnectionUpgrade(client)).isEqualTo(400);
		}
		List<RawWebSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				held.add(connect(client, "/echo"));
				assertThat(held.get(i).status()).as("connection %d of the share", i + 1).isEqualTo(101);
			}
		}
		finally {
			for (RawWebSocket socket : held) {
				socket.close();
			}
		}
	}

	private RawWebSocket connect(String client, String path) throws IOException {
		return RawWebSocket.connect(this.port, path, TIMEOUT, Map.of("X-Forwarded-For", client));
	}

	/** A handshake that every check lets through, and the upgrade then refuses with 400. */
	private int handshakeWithoutConnectionUpgrade(String client) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) TIMEOUT.toMillis());
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
					+ "X-Forwarded-For: " + client + "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			StringBuilder statusLine = new StringBuilder();
			for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
				statusLine.append((char) c);
			}
			return Integer.parseInt(statusLine.toString().split(" ")[1]);
		}
	}

}
