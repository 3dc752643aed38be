package dev.talktoserver.access;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The provider's keys against a provider of the test's own (the JDK's HTTP server, on 127.0.0.1) that
 * can be made to hang: the keys are read from memory while a fetch hangs, a token with a new key id has
 * them fetched again, made-up key ids and algorithms not allowed do not multiply the fetches, and the
 * issuer's metadata leads to the key set, or, naming another issuer, to none.
 */
class ProviderKeysTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final RSAKey FIRST = newKey("first");

	private static final RSAKey SECOND = newKey("second");

	private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(FIRST));

	/** Key set requests that arrived; each is also one permit of {@link #arrived}. */
	private final AtomicInteger keySetRequests = new AtomicInteger();

	private final Semaphore arrived = new Semaphore(0);

	/** While set, requests wait for it to be counted down before they are answered. */
	private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();

	private final AtomicReference<String> metadataIssuer = new AtomicReference<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private HttpServer provider;

	private ProviderKeys keys;

	@BeforeEach
	void startProvider() throws IOException {
		this.provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.provider.setExecutor(Executors.newCachedThreadPool());
		this.provider.createContext("/jwks", (exchange) -> {
			this.keySetRequests.incrementAndGet();
			this.arrived.release();
			CountDownLatch held = this.hold.get();
			if (held != null) {
				awaitQuietly(held);
			}
			respond(exchange, this.published.get().toPublicJWKSet().toString());
		});
		this.provider.createContext("/.well-known/openid-configuration", (exchange) -> respond(exchange,
				"{\"issuer\":\"" + this.metadataIssuer.get() + "\",\"jwks_uri\":\"" + base() + "/jwks\"}"));
		this.provider.start();
	}

	@AfterEach
	void stop() {
		if (this.keys != null) {
			this.keys.close();
		}
		CountDownLatch held = this.hold.get();
		if (held != null) {
			held.countDown();
		}
		this.provider.stop(0);
	}

	@Test
	void whileAFetchHangsTheKnownKeysAreReadAtOnceAndANewKeyIdIsToldToComeBack() throws Exception {
		this.keys = keys(null, base() + "/jwks", Duration.ZERO);
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isTrue();
		CountDownLatch held = new CountDownLatch(1);
		this.hold.set(held);
		this.published.set(new JWKSet(List.of(FIRST, SECOND)));
		this.arrived.drainPermits();

		// Signed with the provider's new key: a fetch begins, and the handshake is not kept waiting for it.
		assertThatExceptionOfType(ProviderKeys.KeyBeingFetched.class).isThrownBy(() -> select("second"));
		assertThat(this.arrived.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(held.getCount()).as("the fetch is still hanging").isEqualTo(1);
		assertThat(select("first")).containsExactly(FIRST.toRSAPublicKey());
		assertThatExceptionOfType(ProviderKeys.KeyBeingFetched.class).isThrownBy(() -> select("second"));

		held.countDown();
		await().atMost(TIMEOUT)
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(select("second")).containsExactly(SECOND.toRSAPublicKey()));
		// Counted just after the keys are in place.
		await().atMost(TIMEOUT)
			.until(() -> this.registry.get("talk.auth.key.fetches").tag("outcome", "success").counter().count() == 2);
	}

	@Test
	void madeUpKeyIdsHaveTheKeysFetchedOncePerInterval() throws Exception {
		this.keys = keys(null, base() + "/jwks", Duration.ofHours(1));
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isTrue();
		assertThatExceptionOfType(ProviderKeys.KeyBeingFetched.class).isThrownBy(() -> select("made-up-0"));
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(select("made-up-1")).isEmpty());
		for (int i = 0; i < 200; i++) {
			assertThat(select(UUID.randomUUID().toString())).isEmpty();
		}
		assertThat(this.keySetRequests.get()).as("the first fetch, and the one that made-up-0 asked for").isEqualTo(2);
	}

	@Test
	void anAlgorithmThatIsNotAllowedFindsNoKeyAndAsksForNoFetch() throws Exception {
		this.keys = keys(null, base() + "/jwks", Duration.ZERO);
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isTrue();
		for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS256, JWSAlgorithm.RS512, JWSAlgorithm.ES256)) {
			assertThat(this.keys.selectJWSKeys(new JWSHeader.Builder(algorithm).keyID("first").build(), null))
				.as(algorithm.getName())
				.isEmpty();
		}
		assertThat(this.keySetRequests.get()).isEqualTo(1);
	}

	@Test
	void beforeTheFirstFetchHasEndedATokenIsToldToComeBackAtOnce() throws Exception {
		CountDownLatch held = new CountDownLatch(1);
		this.hold.set(held);
		this.keys = keys(null, base() + "/jwks", Duration.ZERO);
		assertThat(this.arrived.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThatExceptionOfType(RemoteKeySourceException.class).isThrownBy(() -> select("first"))
			.isNotInstanceOf(ProviderKeys.KeyBeingFetched.class)
			.withMessageContaining("have not been fetched yet");
		held.countDown();
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isTrue();
		assertThat(select("first")).hasSize(1);
	}

	@Test
	void theIssuersMetadataLeadsToTheKeySetWhenItNamesTheIssuer() throws Exception {
		this.metadataIssuer.set(base());
		this.keys = keys(base(), null, Duration.ZERO);
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isTrue();
		assertThat(select("first")).hasSize(1);
	}

	@Test
	void metadataThatNamesAnotherIssuerLeadsNowhere() throws Exception {
		this.metadataIssuer.set("https://elsewhere.example");
		this.keys = keys(base(), null, Duration.ZERO);
		assertThat(this.keys.awaitFirstFetch(TIMEOUT)).isFalse();
		assertThat(this.keySetRequests.get()).isZero();
		assertThat(this.registry.get("talk.auth.key.fetches").tag("outcome", "failure").counter().count())
			.isEqualTo(1);
	}

	private ProviderKeys keys(String issuer, String keySetUri, Duration minFetchInterval) {
		TalkProperties.Auth settings = new TalkProperties.Auth(List.of(), Map.of(), true, Duration.ofHours(1),
				minFetchInterval, Duration.ofSeconds(5));
		return new ProviderKeys(issuer, keySetUri, Set.of(JWSAlgorithm.RS256), settings, new TalkMetrics(this.registry));
	}

	/** The keys for a token signed with RS256 and the key {@code keyId}. */
	private List<Key> select(String keyId) throws RemoteKeySourceException {
		return List.copyOf(this.keys.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), null));
	}

	private String base() {
		return "http://127.0.0.1:" + this.provider.getAddress().getPort();
	}

	private static void respond(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
