package dev.talktoserver.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.TestIdentityProvider;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT access tokens from a real identity provider (Spring Authorization Server, {@link TestIdentityProvider}),
 * which the service discovers through {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, as
 * it would Keycloak's. A valid token opens a connection by each carrier and names its subject in the
 * log; every kind of bad token gets 401 and never 101; a token that expires closes its connection with
 * 1008; {@code /echo} needs the {@code echo} scope (403 without); a principal has its share of
 * connections; a shared token still opens a connection beside them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.jwt.audiences=" + TestIdentityProvider.CLIENT,
				"talk.auth.required-authorities[/echo]=SCOPE_echo", "talk.auth.tokens=" + JwtAccessTests.SHARED_TOKEN,
				"talk.max-connections-per-client=5",
				// Spring's line about each new session names its URI: the query's token must not be in it.
				"logging.level.org.springframework.web.socket.handler.LoggingWebSocketHandlerDecorator=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class JwtAccessTests {

	static final String SHARED_TOKEN = "shared-0123456789abcdef";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry properties) {
		properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIdentityProvider::issuer);
	}

	@Test
	void aValidTokenOpensAConnectionByEachCarrierAndTheLogNamesItsSubject(CapturedOutput output) throws Exception {
		String token = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk");
		List<Map<String, String>> carriers = List.of(Map.of("Authorization", "Bearer " + token),
				Map.of("Sec-WebSocket-Protocol", "talk, bearer." + token), Map.of());
		for (int i = 0; i < carriers.size(); i++) {
			String path = (i == 2) ? "/talk-to-server?access_token=" + token : "/talk-to-server";
			try (RawWebSocket socket = RawWebSocket.connect(this.port, path, TIMEOUT, carriers.get(i))) {
				assertThat(socket.status()).as("carrier %d", i).isEqualTo(101);
				socket.sendText("carrier " + i);
				assertThat(socket.readMessage().text()).isEqualTo("Hello from server!");
			}
			assertThat(output.getOut()).contains("as \"" + TestIdentityProvider.CLIENT + "\") sent 9 chars: \"carrier " + i);
		}
		assertThat(output.getAll()).doesNotContain(token);
	}

	@Test
	void everyKindOfBadTokenGets401AndNever101(CapturedOutput output) throws Exception {
		Instant hourAgo = Instant.now().minusSeconds(3600);
		String valid = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk");
		String[] parts = valid.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String tampered = parts[0] + "." + base64Url(payload.replace(TestIdentityProvider.CLIENT, "admin")) + "."
				+ parts[2];
		String unsigned = base64Url("{\"alg\":\"none\"}") + "." + parts[1] + ".";
		Map<String, String> bad = Map.of("expired",
				TestIdentityProvider.sign(TestIdentityProvider.claims("alice")
					.issueTime(Date.from(hourAgo))
					.notBeforeTime(Date.from(hourAgo))
					.expirationTime(Date.from(hourAgo.plusSeconds(300)))
					.build()),
				"wrong issuer",
				TestIdentityProvider.sign(TestIdentityProvider.claims("alice").issuer("https://elsewhere.example").build()),
				"wrong audience", TestIdentityProvider.token(TestIdentityProvider.OTHER_CLIENT, "talk"), "bad signature",
				TestIdentityProvider.signWithAnotherKey(TestIdentityProvider.claims("alice").build()), "tampered payload",
				tampered, "alg none", unsigned, "not a JWT", "not-a-jwt-and-not-the-shared-token");
		for (Map.Entry<String, String> token : bad.entrySet()) {
			try (RawWebSocket socket = connect("/talk-to-server", token.getValue())) {
				assertThat(socket.status()).as(token.getKey()).isEqualTo(401);
				assertThat(socket.header("WWW-Authenticate")).as(token.getKey())
					.startsWith("Bearer realm=\"talk-to-server\", error=\"invalid_token\", error_description=\"");
			}
			assertThat(output.getAll()).doesNotContain(token.getValue());
		}
		assertThat(output.getOut()).contains("refused with 401: the JWT in the Authorization header is not valid: Jwt expired at")
			.contains("The iss claim is not valid")
			.contains("The aud claim is not valid");
		assertThat(this.registry.get("talk.handshakes.rejected").tag("reason", "unauthorized").counter().count())
			.isGreaterThanOrEqualTo(bad.size());
	}

	@Test
	void aConnectionWhoseTokenExpiresIsClosedWith1008() throws Exception {
		String token = TestIdentityProvider.sign(TestIdentityProvider.claims("brief")
			.expirationTime(Date.from(Instant.now().plusSeconds(2)))
			.build());
		try (RawWebSocket socket = connect("/talk-to-server", token)) {
			assertThat(socket.status()).isEqualTo(101);
			RawWebSocket.Frame close = socket.expectCloseFrame();
			assertThat(close.closeCode()).isEqualTo(1008);
			assertThat(close.closeReasonText()).isEqualTo("token expired: connect again with a new token");
		}
	}

	@Test
	void echoNeedsTheEchoScope() throws Exception {
		String talkOnly = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk");
		try (RawWebSocket refused = connect("/echo", talkOnly);
				RawWebSocket talk = connect("/talk-to-server", talkOnly)) {
			assertThat(refused.status()).isEqualTo(403);
			assertThat(refused.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
				.contains("scope=\"echo\"");
			assertThat(talk.status()).isEqualTo(101);
		}
		try (RawWebSocket echo = connect("/echo", TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk echo"))) {
			assertThat(echo.status()).isEqualTo(101);
			echo.sendText("echo this");
			assertThat(echo.readMessage().text()).isEqualTo("echo this");
		}
		assertThat(this.registry.get("talk.handshakes.rejected").tag("reason", "forbidden").counter().count())
			.isEqualTo(1);
	}

	@Test
	void aPrincipalPastItsShareGets429WhileAnotherStillConnects() throws Exception {
		String alice = TestIdentityProvider.sign(TestIdentityProvider.claims("alice").build());
		List<RawWebSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				held.add(connect("/talk-to-server", alice));
				assertThat(held.get(i).status()).isEqualTo(101);
			}
			try (RawWebSocket refused = connect("/talk-to-server", alice);
					RawWebSocket bob = connect("/talk-to-server",
							TestIdentityProvider.sign(TestIdentityProvider.claims("bob").build()))) {
				assertThat(refused.status()).isEqualTo(429);
				assertThat(bob.status()).isEqualTo(101);
			}
		}
		finally {
			for (RawWebSocket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void theSharedTokenStillOpensAConnectionAndNoTokenGetsAPlainChallenge() throws Exception {
		try (RawWebSocket shared = connect("/talk-to-server", SHARED_TOKEN);
				RawWebSocket none = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			assertThat(shared.status()).isEqualTo(101);
			assertThat(none.status()).isEqualTo(401);
			assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"talk-to-server\"");
		}
	}

	@Test
	void actuatorDetailsAndMetricsAreForOperatorsWhileTheProbesStayOpen() throws Exception {
		String operator = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk operator");
		String talkOnly = TestIdentityProvider.token(TestIdentityProvider.CLIENT, "talk");
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health", null).body()).contains("\"status\":\"UP\"").doesNotContain("details");
		assertThat(get("/actuator/health", talkOnly).body()).doesNotContain("details");
		assertThat(get("/actuator/health", operator).body()).contains("\"talk\":{\"details\":{\"activeSessions\":",
				"\"capacity\":10000}");
		assertThat(get("/actuator/health/readiness", operator).body()).contains("\"talk\"", "\"readinessState\"");
		HttpResponse<String> anonymous = get("/actuator/prometheus", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer"));
		assertThat(get("/actuator/prometheus", talkOnly).statusCode()).isEqualTo(403);
		assertThat(get("/actuator/metrics/talk.sessions.active", talkOnly).statusCode()).isEqualTo(403);
		assertThat(get("/actuator/prometheus", operator).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/info", null).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(TIMEOUT);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private RawWebSocket connect(String path, String token) throws IOException {
		return RawWebSocket.connect(this.port, path, TIMEOUT, Map.of("Authorization", "Bearer " + token));
	}

	private static String base64Url(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
