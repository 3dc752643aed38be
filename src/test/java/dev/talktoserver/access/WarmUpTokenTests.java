package dev.talktoserver.access;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.core.ResolvableType;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's own JWT: accepted while the warm-up runs, that one token string only, and after it
 * never again.
 */
class WarmUpTokenTests {

	private final WarmUpToken warmUpToken = warmUpToken(new OAuth2ResourceServerProperties());

	@Test
	void theTokenPassesItsOwnCheckWhileTheWarmUpRuns() {
		String token = this.warmUpToken.start();
		JwtAccess access = this.warmUpToken.accessFor(token);
		assertThat(access).isNotNull();
		assertThat(access.check(token, "/echo")).isInstanceOf(JwtAccess.Outcome.Accepted.class);
	}

	@Test
	void noOtherTokenIsCheckedWithItsKey() {
		String token = this.warmUpToken.start();
		assertThat(this.warmUpToken.accessFor(token + "x")).isNull();
		assertThat(this.warmUpToken.accessFor(token.substring(0, token.length() - 1))).isNull();
	}

	@Test
	void afterTheWarmUpItIsNoTokenAtAll() {
		String token = this.warmUpToken.start();
		this.warmUpToken.finish();
		assertThat(this.warmUpToken.accessFor(token)).isNull();
		assertThat(warmUpToken(new OAuth2ResourceServerProperties()).accessFor(token)).isNull();
	}

	@Test
	void itNamesTheIssuerAndAudienceThatTheResourceServerAsksForAndPassesItsChecks() {
		OAuth2ResourceServerProperties resourceServer = new OAuth2ResourceServerProperties();
		resourceServer.getJwt().setIssuerUri("https://idp.example/realms/talk");
		resourceServer.getJwt().setAudiences(List.of("talk-to-server"));
		WarmUpToken withSettings = warmUpToken(resourceServer);
		String token = withSettings.start();
		String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		assertThat(claims).contains("\"iss\":\"https://idp.example/realms/talk\"", "\"aud\":\"talk-to-server\"");
		assertThat(withSettings.accessFor(token).check(token, "/talk-to-server"))
			.isInstanceOf(JwtAccess.Outcome.Accepted.class);
	}

	/** As the application makes it: with the resource server's settings, without validators of its own. */
	static WarmUpToken warmUpToken(OAuth2ResourceServerProperties resourceServer) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("resourceServer", resourceServer);
		return new WarmUpToken(beans.getBeanProvider(JwtAuthenticationConverter.class),
				beans.getBeanProvider(OAuth2ResourceServerProperties.class),
				beans.getBeanProvider(ResolvableType.forClassWithGenerics(OAuth2TokenValidator.class, Jwt.class)));
	}

}
