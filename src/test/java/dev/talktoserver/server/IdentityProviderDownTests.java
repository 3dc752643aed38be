package dev.talktoserver.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An identity provider that is out of reach when the service starts (nothing listens at its key set's
 * address): the service starts all the same, a handshake with a JWT gets 503 with {@code Retry-After} at
 * once, and the shared token still opens a connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks",
				"talk.auth.key-fetch-timeout=1s", "talk.auth.tokens=" + IdentityProviderDownTests.SHARED_TOKEN })
@ExtendWith(OutputCaptureExtension.class)
class IdentityProviderDownTests {

	static final String SHARED_TOKEN = "shared-0123456789abcdef";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void aJwtGets503AndRetryAfterWhileTheSharedTokenStillConnects(CapturedOutput output) throws Exception {
		Instant now = Instant.now();
		String jwt = TestIdentityProvider.sign(new JWTClaimsSet.Builder().subject("alice")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.build());
		try (RawWebSocket socket = connect(jwt)) {
			assertThat(socket.status()).isEqualTo(503);
			assertThat(socket.header("Retry-After")).isEqualTo("5");
		}
		try (RawWebSocket socket = connect(SHARED_TOKEN)) {
			assertThat(socket.status()).isEqualTo(101);
			socket.sendText("still here");
			assertThat(socket.readMessage().text()).isEqualTo("Hello from server!");
		}
		assertThat(output.getOut()).contains("the identity provider's keys could not be fetched from http://127.0.0.1:1/jwks")
			.contains("handshakes with a JWT get 503 until they are")
			.contains("handshakes with a JWT get 503: the token cannot be checked");
		assertThat(this.registry.get("talk.auth.key.fetches").tag("outcome", "failure").counter().count())
			.isGreaterThanOrEqualTo(1);
		assertThat(this.registry.get("talk.handshakes.rejected").tag("reason", "identity_provider").counter().count())
			.isEqualTo(1);
	}

	private RawWebSocket connect(String token) throws Exception {
		return RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT, Map.of("Authorization", "Bearer " + token));
	}

}
