package dev.talktoserver.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * A JWT for the warm-up's handshakes, so that they take the path real ones take when the resource
 * server checks JWTs: parsing, an RS256 signature check against a key set, the validators (with the
 * issuer and audience the resource server's settings ask for), the converter. The server
 * cannot get a token from the identity provider, so it signs one itself, with a key made for the
 * warm-up and dropped after it. That key never leaves the process, and only that one token string,
 * only while the warm-up runs, is checked with it: no other token gets in this way, and after the
 * warm-up none at all.
 */
@Component
public final class WarmUpToken {

	private final JwtAuthenticationConverter converter;

	/** The resource server's settings: the token's issuer and audience, and the checks of its claims. */
	private final OAuth2ResourceServerProperties.Jwt settings;

	private final ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators;

	/** The token and what checks it, while the warm-up runs; else null. */
	private volatile Issued issued;

	WarmUpToken(ObjectProvider<JwtAuthenticationConverter> converter,
			ObjectProvider<OAuth2ResourceServerProperties> resourceServer,
			ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators) {
		this.converter = converter.getIfAvailable(JwtAuthenticationConverter::new);
		this.settings = resourceServer.getIfAvailable(OAuth2ResourceServerProperties::new).getJwt();
		this.additionalValidators = additionalValidators;
	}

	/** Makes the token that handshakes accept until {@link #finish()}, and returns it. */
	public String start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("warm-up").algorithm(JWSAlgorithm.RS256)
				.keyUse(KeyUse.SIGNATURE)
				.generate();
			Instant now = Instant.now();
			// Claims as a provider's token has them, so that the same checks pass on the same paths.
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("warm-up")
				.issuer(this.settings.getIssuerUri())
				.audience(this.settings.getAudiences().isEmpty() ? null : this.settings.getAudiences())
				.claim("scope", "warm-up")
				.issueTime(Date.from(now))
				.notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(600)))
				.jwtID(UUID.randomUUID().toString())
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			String token = jwt.serialize();
			// Checked as the provider's tokens are, with a key set of its own key.
			SigningKeys keys = new SigningKeys(new JWKSet(key), now);
			JWSKeySelector<SecurityContext> selector = (header, context) -> keys.keysFor(header);
			// The endpoints' required authorities are not asked of it: the warm-up may use both. A validator
			// of the application's own that refuses it leaves the defaults: the warm-up must not fail.
			JwtAccess access = new JwtAccess(JwtAccess.decoder(selector,
					ProviderJwtDecoder.validator(this.settings, this.additionalValidators.orderedStream())),
					this.converter, Map.of());
			if (!(access.check(token, "") instanceof JwtAccess.Outcome.Accepted)) {
				access = new JwtAccess(JwtAccess.decoder(selector, JwtValidators.createDefault()), this.converter,
						Map.of());
			}
			this.issued = new Issued(token.getBytes(StandardCharsets.US_ASCII), access);
			return token;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign the warm-up's token", ex);
		}
	}

	/**
	 * Checks the warm-up's token {@code times} times, here, without a handshake: the JIT needs more calls
	 * than the warm-up's handshakes make to compile the check (signature arithmetic above all), and a
	 * call costs a fraction of a handshake.
	 */
	public void checkRepeatedly(int times) {
		Issued current = this.issued;
		if (current == null) {
			return;
		}
		String token = new String(current.token(), StandardCharsets.US_ASCII);
		for (int i = 0; i < times; i++) {
			current.access().check(token, "");
		}
	}

	/** From now on the warm-up's token is no token at all. */
	public void finish() {
		this.issued = null;
	}

	/** What checks {@code token} if it is the warm-up's, while the warm-up runs; else null. */
	JwtAccess accessFor(String token) {
		Issued current = this.issued;
		return (current != null && MessageDigest.isEqual(current.token(), token.getBytes(StandardCharsets.US_ASCII)))
				? current.access() : null;
	}

	private record Issued(byte[] token, JwtAccess access) {
	}

}
