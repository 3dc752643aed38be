package dev.talktoserver.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code talk.auth.tokens} set: each way of carrying a token opens a connection, and a missing or wrong
 * token gets 401, one log line, and the {@code unauthorized} counter; no token shows up anywhere.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "talk.auth.tokens=" + TokenAccessTests.TOKEN + "," + TokenAccessTests.OTHER_TOKEN)
@ExtendWith(OutputCaptureExtension.class)
class TokenAccessTests {

	static final String TOKEN = "3f9c0a1b7d2e4f6a8b0c1d2e3f4a5b6c";

	static final String OTHER_TOKEN = "second-token_for.the~rotation";

	/** Looks like a token, is none of ours; must never be logged either. */
	private static final String WRONG_TOKEN = "0000aaaa1111bbbb2222cccc3333dddd";

	private static final String TALK = "/talk-to-server";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void bearerHeaderOpensAConnection() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.http, uri(TALK),
				(handshake) -> handshake.header("Authorization", "Bearer " + TOKEN));
		assertThat(client.roundTrip("with a header")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void everyConfiguredTokenOpensAConnection() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.http, uri(TALK),
				(handshake) -> handshake.header("Authorization", "Bearer " + OTHER_TOKEN));
		assertThat(client.roundTrip("with the other token")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void subprotocolTokenOpensAConnectionWithTalkSelected() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.http, uri(TALK),
				(handshake) -> handshake.subprotocols("talk", "bearer." + TOKEN));
		assertThat(client.subprotocol()).isEqualTo("talk");
		assertThat(client.roundTrip("as a browser would")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void subprotocolTokenIsNeverSentBack() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, TALK, TIMEOUT,
				Map.of("Sec-WebSocket-Protocol", "bearer." + TOKEN + ", talk"))) {
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.header("sec-websocket-protocol")).isEqualTo("talk");
		}
	}

	@Test
	void queryParameterTokenOpensAConnection() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.http, uri(TALK + "?access_token=" + TOKEN), (handshake) -> {
		});
		assertThat(client.roundTrip("with a query")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void echoNeedsATokenToo() throws Exception {
		assertThat(refusedStatus("/echo", Map.of())).isEqualTo(401);
		JdkTestClient client = JdkTestClient.connect(this.http, uri("/echo"),
				(handshake) -> handshake.header("Authorization", "Bearer " + TOKEN));
		assertThat(client.roundTrip("echo me")).isEqualTo("echo me");
		client.close();
	}

	@Test
	void handshakeWithoutATokenGets401WithABearerChallenge(CapturedOutput output) throws Exception {
		double before = rejected();
		try (RawWebSocket socket = RawWebSocket.connect(this.port, TALK, TIMEOUT, Map.of())) {
			assertThat(socket.status()).isEqualTo(401);
			assertThat(socket.header("www-authenticate")).isEqualTo("Bearer realm=\"talk-to-server\"");
		}
		assertThat(rejected()).isEqualTo(before + 1);
		assertThat(output.getOut()).containsPattern("handshake from /127\\.0\\.0\\.1:\\d+ to /talk-to-server "
				+ "refused with 401: no token \\(Authorization header, subprotocol or access_token parameter\\)");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			Authorization header          | Authorization          | Bearer 0000aaaa1111bbbb2222cccc3333dddd
			Sec-WebSocket-Protocol header | Sec-WebSocket-Protocol | talk, bearer.0000aaaa1111bbbb2222cccc3333dddd
			access_token query parameter  |                        | 0000aaaa1111bbbb2222cccc3333dddd
			""")
	void wrongTokenGets401AndTheLogNamesWhereItWas(String carrier, String header, String value,
			CapturedOutput output) throws Exception {
		double before = rejected();
		String path = (header != null) ? TALK : TALK + "?access_token=" + value;
		Map<String, String> headers = (header != null) ? Map.of(header, value) : Map.of();
		try (RawWebSocket socket = RawWebSocket.connect(this.port, path, TIMEOUT, headers)) {
			assertThat(socket.status()).isEqualTo(401);
			assertThat(socket.header("www-authenticate"))
				.isEqualTo("Bearer realm=\"talk-to-server\", error=\"invalid_token\"");
			assertThat(socket.header("sec-websocket-protocol")).isNull();
		}
		assertThat(rejected()).isEqualTo(before + 1);
		assertThat(output.getOut()).contains("to /talk-to-server refused with 401: the token in the " + carrier
				+ " is not valid");
	}

	@Test
	void bearerWithoutATokenGets401() throws Exception {
		assertThat(refusedStatus(TALK, Map.of("Authorization", "Bearer "))).isEqualTo(401);
	}

	@Test
	void subprotocolTokenOfferedAloneGetsNoSubprotocolBack() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, TALK, TIMEOUT,
				Map.of("Sec-WebSocket-Protocol", "bearer." + TOKEN))) {
			// Accepted, but with no subprotocol selected: the token is not one the server could choose.
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.header("sec-websocket-protocol")).isNull();
		}
	}

	@Test
	void healthNeedsNoToken() throws Exception {
		HttpResponse<String> response = get("/actuator/health/readiness");
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void noTokenAppearsInLogsMetricsOrInfo(CapturedOutput output) throws Exception {
		for (String token : new String[] { TOKEN, WRONG_TOKEN }) {
			refusedOrAccepted(Map.of("Authorization", "Bearer " + token), TALK);
			refusedOrAccepted(Map.of("Sec-WebSocket-Protocol", "talk, bearer." + token), TALK);
			refusedOrAccepted(Map.of(), TALK + "?access_token=" + token);
		}
		assertThat(rejected()).isPositive();
		String everywhere = output.getAll() + get("/actuator/prometheus").body() + get("/actuator/info").body()
				+ get("/actuator/metrics/talk.handshakes.rejected").body();
		assertThat(everywhere).doesNotContain(TOKEN).doesNotContain(WRONG_TOKEN).doesNotContain(OTHER_TOKEN);
	}

	private void refusedOrAccepted(Map<String, String> headers, String path) throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, path, TIMEOUT, headers)) {
			assertThat(socket.status()).isIn(101, 401);
			if (socket.status() == 101) {
				socket.sendText("token test");
				assertThat(socket.readMessage().text()).isEqualTo("Hello from server!");
			}
		}
	}

	private int refusedStatus(String path, Map<String, String> headers) throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, path, TIMEOUT, headers)) {
			return socket.status();
		}
	}

	private double rejected() {
		var counter = this.registry.find("talk.handshakes.rejected")
			.tags("endpoint", TALK, "reason", "unauthorized")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

}
