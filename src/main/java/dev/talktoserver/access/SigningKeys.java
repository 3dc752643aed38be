package dev.talktoserver.access;

import java.security.Key;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import dev.talktoserver.observability.LogSafeText;

/**
 * A key set as a provider publishes it, with each key made a Java key once, when the set comes in:
 * Nimbus's own selector makes them anew for every token (a fifth of a JWT check on the 2-vCPU machine
 * of docs/performance.md, most of it checking the RSA modulus again).
 */
final class SigningKeys {

	private final JWKSet keys;

	private final Map<JWK, List<Key>> javaKeys = new IdentityHashMap<>();

	private final Instant fetchedAt;

	SigningKeys(JWKSet keys, Instant fetchedAt) {
		this.keys = keys.toPublicJWKSet();
		this.fetchedAt = fetchedAt;
		for (JWK key : this.keys.getKeys()) {
			List<Key> converted = new ArrayList<>();
			for (Key javaKey : KeyConverter.toJavaKeys(List.of(key))) {
				if (javaKey instanceof PublicKey) {
					converted.add(javaKey);
				}
			}
			this.javaKeys.put(key, List.copyOf(converted));
		}
	}

	/**
	 * The keys that may have signed a JWS with {@code header}, as Nimbus's selector picks them: by key
	 * id, type, use and algorithm as the header names them.
	 */
	List<Key> keysFor(JWSHeader header) {
		JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
		if (matcher == null) {
			return List.of();
		}
		List<JWK> matches = new JWKSelector(matcher).select(this.keys);
		if (matches.size() == 1) {
			return this.javaKeys.get(matches.get(0));
		}
		List<Key> found = new ArrayList<>();
		for (JWK match : matches) {
			found.addAll(this.javaKeys.get(match));
		}
		return found;
	}

	Instant fetchedAt() {
		return this.fetchedAt;
	}

	/** The key ids, for the log: as the provider named them, quoted. */
	List<String> keyIds() {
		return this.keys.getKeys()
			.stream()
			.map((key) -> LogSafeText.quote(String.valueOf(key.getKeyID()), 60))
			.toList();
	}

	int size() {
		return this.keys.size();
	}

}
