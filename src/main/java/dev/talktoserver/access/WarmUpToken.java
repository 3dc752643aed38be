package dev.talktoserver.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * A JWT for the warm-up's handshakes, so that they take the path real ones take when the resource
 * server checks JWTs: parsing, an RS256 signature check, the validators, the converter. The server
 * cannot get a token from the identity provider, so it signs one itself, with a key made for the
 * warm-up and dropped after it. That key never leaves the process, and only that one token string,
 * only while the warm-up runs, is checked with it: no other token gets in this way, and after the
 * warm-up none at all.
 */
@Component
public final class WarmUpToken {

	private final JwtAuthenticationConverter converter;

	/** The token and what checks it, while the warm-up runs; else null. */
	private volatile Issued issued;

	WarmUpToken(ObjectProvider<JwtAuthenticationConverter> converter) {
		this.converter = converter.getIfAvailable(JwtAuthenticationConverter::new);
	}

	/** Makes the token that handshakes accept until {@link #finish()}, and returns it. */
	public String start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).generate();
			Instant now = Instant.now();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("warm-up")
				.issueTime(Date.from(now))
				.notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(600)))
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
			jwt.sign(new RSASSASigner(key));
			String token = jwt.serialize();
			// The endpoints' required authorities are not asked of it: the warm-up may use both.
			this.issued = new Issued(token.getBytes(StandardCharsets.US_ASCII),
					new JwtAccess(NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build(), this.converter, Map.of()));
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
