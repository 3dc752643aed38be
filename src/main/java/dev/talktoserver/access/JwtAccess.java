package dev.talktoserver.access;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * JWT access tokens, checked with the resource server's {@link JwtDecoder} that Spring Boot builds from
 * {@code spring.security.oauth2.resourceserver.jwt.*}: signature against the provider's keys (held by
 * {@link ProviderKeys}, never fetched for a handshake), expiry, not-before, issuer and audiences. The token's authorities
 * (its scopes as {@code SCOPE_x}, or what the converter is configured to read) are then held against those
 * that {@code talk.auth.required-authorities} asks of the endpoint. Every answer says why in words a
 * client's developer can act on, never with the token in them.
 */
final class JwtAccess {

	private final JwtDecoder decoder;

	private final Converter<Jwt, ? extends AbstractAuthenticationToken> converter;

	/** Endpoint path (as registered, e.g. {@code /echo}) to the authorities, any one of which it needs. */
	private final Map<String, List<String>> requiredAuthorities;

	JwtAccess(JwtDecoder decoder, Converter<Jwt, ? extends AbstractAuthenticationToken> converter,
			Map<String, List<String>> requiredAuthorities) {
		this.decoder = decoder;
		this.converter = converter;
		this.requiredAuthorities = requiredAuthorities;
	}

	/**
	 * A decoder that checks signatures with {@code keys}, set up as Spring's builders set theirs up (the
	 * claims and the {@code typ} are the validators' to check), on one code path for the provider's keys
	 * and the warm-up's, so that the warm-up compiles the path real tokens take.
	 */
	static NimbusJwtDecoder decoder(JWSKeySelector<SecurityContext> keys, OAuth2TokenValidator<Jwt> validator) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(keys);
		processor.setJWSTypeVerifier((type, context) -> {
		});
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		decoder.setJwtValidator(validator);
		return decoder;
	}

	Outcome check(String token, String endpoint) {
		Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (JwtValidationException ex) {
			return new Outcome.Invalid(describe(ex.getErrors()));
		}
		catch (BadJwtException ex) {
			return new Outcome.Invalid(withoutPrefix(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			if (ex.getCause() instanceof ProviderKeys.KeyBeingFetched) {
				return new Outcome.KeyBeingFetched();
			}
			// Not the token's fault: the provider's keys could not be fetched.
			return new Outcome.Unavailable(ex.getMessage());
		}
		AbstractAuthenticationToken authentication = this.converter.convert(jwt);
		List<String> required = this.requiredAuthorities.getOrDefault(endpoint, List.of());
		if (!required.isEmpty() && !holdsAny(authentication.getAuthorities(), required)) {
			return new Outcome.Forbidden(required);
		}
		return new Outcome.Accepted(authentication, jwt.getExpiresAt());
	}

	private static boolean holdsAny(Collection<? extends GrantedAuthority> held, List<String> required) {
		for (GrantedAuthority authority : held) {
			if (required.contains(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	/** The validators' own words: "Jwt expired at ...", "The iss claim is not valid", and so on. */
	private static String describe(Collection<OAuth2Error> errors) {
		StringBuilder description = new StringBuilder();
		for (OAuth2Error error : errors) {
			if (error.getDescription() != null) {
				description.append((description.length() > 0) ? "; " : "").append(error.getDescription());
			}
		}
		return (description.length() > 0) ? description.toString() : "the token is not valid";
	}

	/** Spring's decoder puts the same preamble before every reason; the reason is what helps. */
	private static String withoutPrefix(String message) {
		String prefix = "An error occurred while attempting to decode the Jwt: ";
		if (message == null) {
			return "the token is not a valid JWT";
		}
		return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
	}

	/** What the check found. */
	sealed interface Outcome {

		/** A valid token with what the endpoint needs: who it is, and when the token expires (null: never). */
		record Accepted(AbstractAuthenticationToken principal, Instant expiresAt) implements Outcome {
		}

		/** 401: not a valid token, and why. */
		record Invalid(String why) implements Outcome {
		}

		/** 403: a valid token without any of the authorities the endpoint needs. */
		record Forbidden(List<String> required) implements Outcome {
		}

		/** 503: the token could not be checked, through no fault of the client. */
		record Unavailable(String why) implements Outcome {
		}

		/** 503: the token names a key that the provider may have just published; it is being fetched. */
		record KeyBeingFetched() implements Outcome {
		}

	}

}
