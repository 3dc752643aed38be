package dev.talktoserver.access;

import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The tokens an operator configures are checked when the server starts: a token that one of the three
 * carriers could not carry as it is stops the start, with a message that does not repeat it.
 */
class TokenCheckTests {

	@Test
	void tokenWithCharactersASubprotocolCannotCarryStopsTheStartWithoutShowingIt() {
		assertThatIllegalStateException().isThrownBy(() -> tokenCheck("fine-token-0123456789,not a/token"))
			.withMessageContaining("talk.auth.tokens[1]")
			.withMessageContaining("openssl rand -hex 32")
			.withMessageNotContaining("not a/token");
	}

	@Test
	void lettersDigitsAndUnreservedPunctuationAreAccepted() {
		assertThat(tokenCheck("Az09-._~Az09-._~Az09")).isNotNull();
	}

	@Test
	void authPropertiesPrintNoToken() {
		TalkProperties properties = properties("secret-value-0123456789");
		assertThat(properties.toString()).doesNotContain("secret-value").contains("tokens=1 configured");
	}

	private static TokenCheck tokenCheck(String tokens) {
		// No JWT issuer: an empty bean factory has no JwtDecoder.
		StaticListableBeanFactory none = new StaticListableBeanFactory();
		return new TokenCheck(properties(tokens), new TalkMetrics(new SimpleMeterRegistry()),
				none.getBeanProvider(JwtDecoder.class), none.getBeanProvider(JwtAuthenticationConverter.class),
				WarmUpTokenTests.warmUpToken(new OAuth2ResourceServerProperties()));
	}

	private static TalkProperties properties(String tokens) {
		return new Binder(new MapConfigurationPropertySource(Map.of("talk.auth.tokens", tokens)))
			.bindOrCreate("talk", TalkProperties.class);
	}

}
