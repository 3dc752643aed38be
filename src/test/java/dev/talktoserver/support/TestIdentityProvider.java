package dev.talktoserver.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A real identity provider for the JWT tests: Spring Authorization Server, started once per test JVM as
 * an application of its own on a random port of 127.0.0.1, issuing access tokens by
 * {@code client_credentials} to two registered clients: {@value #CLIENT} (scopes {@code talk},
 * {@code echo} and {@code operator}) and {@value #OTHER_CLIENT}. As with any such provider, a token's audience is the client
 * it was issued to, and its subject the client's id. The service finds it by its issuer URI, as it would
 * find Keycloak. Its signing key is the tests' too, so that they can make the tokens that no provider
 * would issue: expired ones, and ones for other subjects.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class TestIdentityProvider {

	public static final String CLIENT = "talk-client";

	public static final String OTHER_CLIENT = "other-client";


	private static final RSAKey KEY = newKey("talk-test-key");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static ConfigurableApplicationContext running;

	/** The provider's signing keys, as its JWKS endpoint publishes them. */
	@Bean
	JWKSource<SecurityContext> jwkSource() {
		return new ImmutableJWKSet<>(new JWKSet(KEY));
	}

	/** The provider's issuer URI, {@code http://127.0.0.1:PORT}; started on first use. */
	public static synchronized String issuer() {
		if (running == null) {
			SpringApplication provider = new SpringApplicationBuilder(TestIdentityProvider.class)
				// Not the service's application.properties: this is another application.
				.properties(Map.of("spring.config.name", "test-identity-provider", "server.port", "0",
						"server.address", "127.0.0.1", "spring.main.banner-mode", "off",
						// The service's console batching would otherwise batch the JVM's console for it.
						"talk.log.console-batch-interval", "0"))
				.properties(client("talk", CLIENT, "talk,echo,operator"))
				.properties(client("other", OTHER_CLIENT, "talk"))
				.build();
			// Logging is the JVM's, and the service's tests read it: this application leaves it as it is.
			provider.setListeners(provider.getListeners()
				.stream()
				.filter((listener) -> !(listener instanceof LoggingApplicationListener))
				.toList());
			running = provider.run();
		}
		int port = ((WebServerApplicationContext) running).getWebServer().getPort();
		return "http://127.0.0.1:" + port;
	}

	private static Map<String, Object> client(String name, String id, String scopes) {
		String prefix = "spring.security.oauth2.authorizationserver.client." + name + ".registration.";
		return Map.of(prefix + "client-id", id, prefix + "client-secret", "{noop}" + secret(id),
				prefix + "client-authentication-methods", "client_secret_basic",
				prefix + "authorization-grant-types", "client_credentials", prefix + "scopes", scopes);
	}

	/** Each client's own: the provider refuses two clients with one secret. */
	private static String secret(String clientId) {
		return clientId + "-secret";
	}

	/** An access token from the provider's token endpoint, for {@code clientId}, with {@code scopes}. */
	public static String token(String clientId, String scopes) {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + secret(clientId)).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/oauth2/token"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scopes.replace(" ", "+")))
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			Matcher token = ACCESS_TOKEN.matcher(response.body());
			if (response.statusCode() != 200 || !token.find()) {
				throw new IllegalStateException("no token: HTTP " + response.statusCode() + " " + response.body());
			}
			return token.group(1);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Claims as the provider would set them for {@value #CLIENT}, valid for five minutes from now. */
	public static JWTClaimsSet.Builder claims(String subject) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(issuer())
			.subject(subject)
			.audience(List.of(CLIENT))
			.claim("scope", List.of("talk", "echo"))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString());
	}

	/** {@code claims} signed with the provider's own key. */
	public static String sign(JWTClaimsSet claims) {
		return sign(claims, KEY);
	}

	/** {@code claims} signed with another key that claims to be the provider's (the same key id). */
	public static String signWithAnotherKey(JWTClaimsSet claims) {
		return sign(claims, newKey(KEY.getKeyID()));
	}

	private static String sign(JWTClaimsSet claims, RSAKey key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey newKey(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
