package dev.talktoserver.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

/**
 * The resource server's {@link JwtDecoder} for an identity provider found by
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}, in place of the one
 * Spring Boot would build: the same checks (signature, expiry, not-before, issuer, {@code audiences},
 * any {@link OAuth2TokenValidator} beans), with keys from {@link ProviderKeys}, so that no handshake
 * waits for the provider. With {@code jwk-set-uri}, the algorithms are {@code jws-algorithms}; found
 * through the issuer, any asymmetric one that the provider's keys allow, as Spring Boot would discover.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ProviderJwtDecoder.ProviderConfigured.class)
class ProviderJwtDecoder {

	@Bean(destroyMethod = "close")
	ProviderKeys providerKeys(OAuth2ResourceServerProperties resourceServer, TalkProperties properties,
			TalkMetrics metrics) throws InterruptedException {
		OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
		ProviderKeys keys = new ProviderKeys(jwt.getIssuerUri(), jwt.getJwkSetUri(), algorithms(jwt),
				properties.auth(), metrics);
		// The start-up's thread waits, so that the first handshakes find the keys: discovery and the key
		// set, each connecting and reading within the timeout. A provider that is down delays the start
		// by that much, then the fetcher keeps trying and the service starts without them.
		keys.awaitFirstFetch(properties.auth().keyFetchTimeout().multipliedBy(4));
		return keys;
	}

	@Bean
	JwtDecoder jwtDecoder(ProviderKeys keys, OAuth2ResourceServerProperties resourceServer,
			ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators) {
		return JwtAccess.decoder(keys, validator(resourceServer.getJwt(), additionalValidators.orderedStream()));
	}

	/**
	 * The checks of a token's claims that Spring Boot's decoders make: expiry and not-before, the issuer
	 * (with {@code issuer-uri}), the audiences, and {@code additional}.
	 */
	static OAuth2TokenValidator<Jwt> validator(OAuth2ResourceServerProperties.Jwt jwt,
			Stream<OAuth2TokenValidator<Jwt>> additional) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		if (jwt.getIssuerUri() != null) {
			validators.add(new JwtIssuerValidator(jwt.getIssuerUri()));
		}
		List<String> audiences = jwt.getAudiences();
		if (!audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>("aud",
					(aud) -> aud != null && !Collections.disjoint(aud, audiences)));
		}
		additional.forEach(validators::add);
		return validators.isEmpty() ? JwtValidators.createDefault()
				: JwtValidators.createDefaultWithValidators(validators);
	}

	/** Spring's signature algorithms are the asymmetric ones: a key set holds public keys. */
	private static Set<JWSAlgorithm> algorithms(OAuth2ResourceServerProperties.Jwt jwt) {
		Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
		if (jwt.getJwkSetUri() == null) {
			for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
				algorithms.add(JWSAlgorithm.parse(algorithm.getName()));
			}
			return algorithms;
		}
		for (String name : jwt.getJwsAlgorithms()) {
			if (SignatureAlgorithm.from(name) == null) {
				throw new InvalidConfigurationPropertyValueException(
						"spring.security.oauth2.resourceserver.jwt.jws-algorithms", name, "Unknown algorithm");
			}
			algorithms.add(JWSAlgorithm.parse(name));
		}
		return algorithms;
	}

	/** An identity provider to fetch keys from: its issuer URI, or its key set's URI. */
	static class ProviderConfigured extends AnyNestedCondition {

		ProviderConfigured() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
		static class IssuerUri {

		}

		@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
		static class JwkSetUri {

		}

	}

}
