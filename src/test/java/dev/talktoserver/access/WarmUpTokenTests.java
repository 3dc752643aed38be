package dev.talktoserver.access;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's own JWT: accepted while the warm-up runs, that one token string only, and after it
 * never again.
 */
class WarmUpTokenTests {

	private final WarmUpToken warmUpToken = new WarmUpToken(
			new StaticListableBeanFactory().getBeanProvider(JwtAuthenticationConverter.class));

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
		assertThat(new WarmUpToken(new StaticListableBeanFactory().getBeanProvider(JwtAuthenticationConverter.class))
			.accessFor(token)).isNull();
	}

}
