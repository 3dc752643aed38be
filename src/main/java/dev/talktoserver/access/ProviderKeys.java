package dev.talktoserver.access;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's signing keys, held in memory and fetched on a thread of their own: at start,
 * every {@code talk.auth.key-refresh-interval}, and when a token names a key that is not among them (at
 * most once per {@code talk.auth.key-fetch-min-interval}, so that made-up key ids cannot turn handshakes
 * into calls to the provider). A handshake reads the keys and never waits for the provider: before the
 * first fetch has succeeded, and while a fetch for a key it names is under way, it is told to come back
 * (503 and {@code Retry-After}). A provider that stops answering leaves the last keys in use.
 * <p>
 * Spring Security's own key source fetches on the thread that decodes the token, a Tomcat worker here,
 * under a lock that the other handshakes then wait on, and again for every token with an unknown key id.
 */
final class ProviderKeys implements JWSKeySelector<SecurityContext>, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ProviderKeys.class);

	private static final Duration MIN_RETRY = Duration.ofSeconds(1);

	/** A key set is a few KiB; anything near this is not one. */
	private static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

	private final String issuer;

	private final String configuredKeySetUri;

	private final Duration refreshInterval;

	private final Duration minFetchInterval;

	/** The algorithms a token may be signed with; others find no key. */
	private final Set<JWSAlgorithm> algorithms;

	private final ResourceRetriever retriever;

	private final TalkMetrics metrics;

	private final ScheduledExecutorService fetcher = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "jwt-keys");
		thread.setDaemon(true);
		return thread;
	});

	private final CountDownLatch firstFetch = new CountDownLatch(1);

	/** The provider's keys as last fetched; null until a fetch succeeds. */
	private volatile SigningKeys keys;

	/** Whether a fetch is under way or about to begin. */
	private final AtomicBoolean fetching = new AtomicBoolean(true);

	/** When a token last asked for a fetch, in {@link System#nanoTime()}. */
	private volatile long lastAsked;

	/** The key set's URI, from {@code jwk-set-uri} or found through the issuer's metadata. */
	private URL keySetUri;

	/** Whether the last fetch failed, so that a failing provider is logged once per episode. */
	private boolean failing;

	/** The next fetch by the clock; replaced by each fetch, so that there is only ever one. */
	private ScheduledFuture<?> planned;

	/**
	 * @param issuer the issuer URI whose metadata names the key set; null with {@code keySetUri}
	 * @param keySetUri the key set's URI ({@code jwk-set-uri}); null to find it through the issuer
	 */
	ProviderKeys(String issuer, String keySetUri, Set<JWSAlgorithm> algorithms, TalkProperties.Auth settings,
			TalkMetrics metrics) {
		this.issuer = issuer;
		this.algorithms = Set.copyOf(algorithms);
		this.configuredKeySetUri = keySetUri;
		this.refreshInterval = settings.keyRefreshInterval();
		this.minFetchInterval = settings.keyFetchMinInterval();
		int timeout = (int) Math.min(Integer.MAX_VALUE, settings.keyFetchTimeout().toMillis());
		this.retriever = new DefaultResourceRetriever(timeout, timeout, MAX_DOCUMENT_BYTES);
		this.metrics = metrics;
		this.lastAsked = System.nanoTime() - this.minFetchInterval.toNanos();
		this.fetcher.execute(this::fetch);
	}

	/**
	 * Waits, at start-up only, for the first fetch to end, so that the first handshakes find the keys;
	 * false when it has not ended in time, or failed.
	 */
	boolean awaitFirstFetch(Duration timeout) throws InterruptedException {
		return this.firstFetch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && this.keys != null;
	}

	/** The keys that may have signed a token with {@code header}, as Nimbus's own selector picks them. */
	@Override
	public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context)
			throws RemoteKeySourceException {
		if (!this.algorithms.contains(header.getAlgorithm())) {
			return List.of();
		}
		SigningKeys current = this.keys;
		if (current == null) {
			askForFetch();
			throw new RemoteKeySourceException("the identity provider's keys have not been fetched yet from "
					+ where(), null);
		}
		List<Key> found = current.keysFor(header);
		if (found.isEmpty() && askForFetch()) {
			// Perhaps a key the provider has just begun to sign with: worth a try once the fetch is done.
			throw new KeyBeingFetched("the token's key is not among the provider's keys; fetching them again");
		}
		return found;
	}

	/**
	 * Asks for a fetch now, unless one is under way, or a token asked for one too recently; true when a
	 * fetch is under way after this call, whose keys the caller may try again.
	 */
	private boolean askForFetch() {
		if (this.fetching.get()) {
			return true;
		}
		long now = System.nanoTime();
		if (now - this.lastAsked < this.minFetchInterval.toNanos() || !this.fetching.compareAndSet(false, true)) {
			return this.fetching.get();
		}
		this.lastAsked = now;
		try {
			this.fetcher.execute(this::fetch);
			return true;
		}
		catch (RejectedExecutionException ex) {
			// Closed: the application is stopping, and no fetch is to come.
			return false;
		}
	}

	/** On the fetcher's thread only, like the fields it alone writes: fetches the keys, plans the next fetch. */
	private void fetch() {
		Duration next = this.refreshInterval;
		try {
			if (this.keySetUri == null) {
				this.keySetUri = (this.configuredKeySetUri != null) ? URI.create(this.configuredKeySetUri).toURL()
						: discoverKeySetUri();
			}
			SigningKeys fetched = new SigningKeys(
					JWKSet.parse(this.retriever.retrieveResource(this.keySetUri).getContent()), Instant.now());
			SigningKeys previous = this.keys;
			this.keys = fetched;
			this.metrics.identityProviderKeysFetched(true);
			if (previous == null || this.failing || !previous.keyIds().equals(fetched.keyIds())) {
				logger.info("{} signing key(s) of the identity provider, {}, fetched from {}", fetched.size(),
						fetched.keyIds(), this.keySetUri);
			}
			this.failing = false;
		}
		catch (IOException | ParseException | RuntimeException ex) {
			this.metrics.identityProviderKeysFetched(false);
			// Never sooner than a second: a minimum interval of 0 must not turn a down provider into a loop.
			next = (this.minFetchInterval.compareTo(MIN_RETRY) < 0) ? MIN_RETRY : this.minFetchInterval;
			if (!this.failing) {
				this.failing = true;
				String meanwhile = (this.keys != null) ? "the keys fetched at " + this.keys.fetchedAt() + " stay in use"
						: "handshakes with a JWT get 503 until they are";
				logger.warn("the identity provider's keys could not be fetched from {}: {}; {}; trying again every {} s",
						(this.keySetUri != null) ? this.keySetUri : where(), ex, meanwhile, next.toSeconds());
			}
		}
		finally {
			this.fetching.set(false);
			this.firstFetch.countDown();
		}
		if (this.planned != null) {
			this.planned.cancel(false);
		}
		try {
			this.planned = this.fetcher.schedule(this::plannedFetch, next.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed while fetching: no more fetches.
		}
	}

	/** The fetch by the clock, unless a token's is under way. */
	private void plannedFetch() {
		if (this.fetching.compareAndSet(false, true)) {
			fetch();
		}
	}

	/**
	 * The key set's URI from the issuer's metadata, where Spring Security would look for it: OpenID
	 * Connect discovery, then RFC 8414's authorization server metadata; the metadata must name the issuer.
	 */
	private URL discoverKeySetUri() throws IOException, ParseException {
		URI issuerUri = URI.create(this.issuer);
		String path = (issuerUri.getRawPath() == null) ? "" : issuerUri.getRawPath().replaceAll("/$", "");
		String origin = issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
		List<String> candidates = List.of(origin + path + "/.well-known/openid-configuration",
				origin + "/.well-known/openid-configuration" + path, origin + "/.well-known/oauth-authorization-server" + path);
		IOException last = null;
		for (String candidate : candidates) {
			Map<String, Object> metadata;
			try {
				metadata = JSONObjectUtils.parse(this.retriever.retrieveResource(URI.create(candidate).toURL()).getContent());
			}
			catch (IOException ex) {
				last = ex;
				continue;
			}
			if (!Objects.equals(metadata.get("issuer"), this.issuer)) {
				throw new IOException("the metadata at " + candidate + " names the issuer " + metadata.get("issuer")
						+ ", not " + this.issuer);
			}
			Object jwksUri = metadata.get("jwks_uri");
			if (!(jwksUri instanceof String uri)) {
				throw new IOException("the metadata at " + candidate + " has no jwks_uri");
			}
			return URI.create(uri).toURL();
		}
		throw new IOException("no metadata of the issuer at " + candidates, last);
	}

	private String where() {
		return (this.configuredKeySetUri != null) ? this.configuredKeySetUri : "the issuer " + this.issuer;
	}

	@Override
	public void close() {
		this.fetcher.shutdownNow();
	}

	/** The token's key is not among those held, and a fetch that may bring it is under way. */
	static final class KeyBeingFetched extends RemoteKeySourceException {

		KeyBeingFetched(String message) {
			super(message, null);
		}

	}

}
