package dev.talktoserver.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTextTests {

	@Test
	void plainTextIsOnlyQuoted() {
		assertThat(LogSafeText.quote("Hello from client!", 200)).isEqualTo("\"Hello from client!\"");
	}

	@Test
	void lineBreaksAndTabsBecomeBackslashEscapes() {
		assertThat(LogSafeText.quote("a\r\nb\tc", 200)).isEqualTo("\"a\\r\\nb\\tc\"");
	}

	@Test
	void otherControlCharactersBecomeUnicodeEscapes() {
		assertThat(LogSafeText.quote("bell\u0007 esc\u001b[31m del\u007f nel\u0085", 200))
			.isEqualTo("\"bell\\u0007 esc\\u001b[31m del\\u007f nel\\u0085\"");
	}

	@Test
	void unicodeLineSeparatorsAndBidiOverridesAreEscaped() {
		assertThat(LogSafeText.quote("a\u2028b\u2029c\u202ed\u2066e", 200))
			.isEqualTo("\"a\\u2028b\\u2029c\\u202ed\\u2066e\"");
	}

	@Test
	void quotesAndBackslashesCannotCloseTheQuotedText() {
		assertThat(LogSafeText.quote("say \"hi\" \\o/", 200)).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
	}

	@Test
	void nonAsciiTextIsKeptAsItIs() {
		assertThat(LogSafeText.quote("grüße, 你好, 👋", 200)).isEqualTo("\"grüße, 你好, 👋\"");
	}

	@Test
	void longTextIsCutAtTheLimitAndSaysSo() {
		StringBuilder out = new StringBuilder();
		assertThat(LogSafeText.appendQuoted(out, "abcdefghij", 4)).isTrue();
		assertThat(out).hasToString("\"abcd\"");
	}

	@Test
	void textAtTheLimitIsNotCut() {
		StringBuilder out = new StringBuilder();
		assertThat(LogSafeText.appendQuoted(out, "abcd", 4)).isFalse();
		assertThat(out).hasToString("\"abcd\"");
	}

	@Test
	void cutNeverSplitsASurrogatePair() {
		// "a" then U+1F44B (two chars): a cut after 2 chars would leave half of the emoji.
		assertThat(LogSafeText.quote("a\uD83D\uDC4Bb", 2)).isEqualTo("\"a\"");
	}

}
