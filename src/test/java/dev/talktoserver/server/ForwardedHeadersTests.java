package dev.talktoserver.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The origin check behind a TLS-terminating proxy: the browser's page is on {@code https://talk.example.org}
 * and the proxy connects to the server over plain HTTP from a loopback address, which Tomcat trusts,
 * saying where the request came to in {@code X-Forwarded-*} (what {@code deploy/nginx/talk.conf} sends).
 * The tests connect from 127.0.0.1, as such a proxy would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ForwardedHeadersTests {

	private static final String PUBLIC_ORIGIN = "https://talk.example.org";

	private static final Map<String, String> FORWARDED = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host",
			"talk.example.org", "X-Forwarded-Port", "443", "X-Forwarded-For", "203.0.113.7");

	@LocalServerPort
	private int port;

	@Test
	void pageOnTheProxysPublicOriginIsAcceptedAsSameOrigin() throws Exception {
		JdkTestClient client = JdkTestClient
			.connectWithHeaders(this.port, "/talk-to-server", with(FORWARDED, "Origin", PUBLIC_ORIGIN))
			.get(JdkTestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(client.roundTrip("hi")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void withoutTheForwardedHeadersThePublicOriginIsCrossOrigin() throws Exception {
		assertThat(JdkTestClient.refusedStatusWithHeaders(this.port, "/talk-to-server", Map.of("Origin", PUBLIC_ORIGIN)))
			.isEqualTo(403);
	}

	@Test
	void forwardedHeadersDoNotLetAnotherOriginIn() throws Exception {
		assertThat(JdkTestClient.refusedStatusWithHeaders(this.port, "/talk-to-server",
				with(FORWARDED, "Origin", "https://elsewhere.example")))
			.isEqualTo(403);
	}

	@Test
	void theForwardedSchemeMustMatchTheOrigin() throws Exception {
		assertThat(JdkTestClient.refusedStatusWithHeaders(this.port, "/talk-to-server",
				with(FORWARDED, "Origin", "http://talk.example.org")))
			.isEqualTo(403);
	}

	private static Map<String, String> with(Map<String, String> headers, String name, String value) {
		Map<String, String> all = new HashMap<>(headers);
		all.put(name, value);
		return all;
	}

}
