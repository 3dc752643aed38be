package dev.talktoserver.client;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's command line read as getopt-style tools read theirs, and each mistake named with the
 * option it concerns.
 */
class ArgumentsTests {

	@Test
	void valuesGoWithOptionsInEveryUsualSpelling() {
		Arguments arguments = Arguments.parse("-m", "one", "-mtwo", "--message", "three", "--message=four=4",
				"ws://example.test/x");
		assertThat(arguments.all(ClientOption.MESSAGE)).containsExactly("one", "two", "three", "four=4");
		assertThat(arguments.url(ClientCommand.DEFAULT_URL)).isEqualTo(URI.create("ws://example.test/x"));
	}

	@Test
	void switchesGroupAndAGroupMayEndWithAnOptionThatTakesAValue() {
		Arguments arguments = Arguments.parse("-ikv", "-vH", "X-Trace: 1");
		assertThat(arguments.has(ClientOption.INTERACTIVE)).isTrue();
		assertThat(arguments.has(ClientOption.INSECURE)).isTrue();
		assertThat(arguments.has(ClientOption.VERBOSE)).isTrue();
		assertThat(arguments.all(ClientOption.HEADER)).containsExactly("X-Trace: 1");
		assertThat(arguments.has(ClientOption.RECONNECT)).isFalse();
	}

	@Test
	void aValueMayStartWithADashAndDoubleDashEndsTheOptions() {
		Arguments arguments = Arguments.parse("-m", "--not-an-option", "--", "-weird-url");
		assertThat(arguments.all(ClientOption.MESSAGE)).containsExactly("--not-an-option");
		assertThat(arguments.url(ClientCommand.DEFAULT_URL)).hasToString("-weird-url");
	}

	@Test
	void defaultsApplyAndTheLastValueGivenWins() {
		Arguments arguments = Arguments.parse("--reply-timeout", "1s", "--reply-timeout=250ms");
		assertThat(arguments.duration(ClientOption.REPLY_TIMEOUT)).isEqualTo(Duration.ofMillis(250));
		assertThat(arguments.duration(ClientOption.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
		assertThat(arguments.integer(ClientOption.RECONNECT_ATTEMPTS)).isEqualTo(10);
		assertThat(arguments.url(ClientCommand.DEFAULT_URL)).hasToString(ClientCommand.DEFAULT_URL);
		assertThat(arguments.value(ClientOption.ORIGIN)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "500ms, PT0.5S", "10s, PT10S", "1m, PT1M", "2h, PT2H", "1d, PT24H", "250, PT0.25S",
			"1500us, PT0.0015S", "PT1M30S, PT1M30S", "pt2s, PT2S", "10S, PT10S" })
	void durationsAreWrittenAsInSpringBootProperties(String text, Duration expected) {
		assertThat(Arguments.parse("--connect-timeout", text).duration(ClientOption.CONNECT_TIMEOUT))
			.isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "--bogus|unknown option '--bogus'",
			"--connect|unknown option '--connect'; did you mean --connect-timeout?",
			"--reconnect-|unknown option '--reconnect-'; did you mean --reconnect, --reconnect-attempts, "
					+ "--reconnect-delay or --reconnect-max-delay?",
			"-ix|unknown option '-x' (in '-ix')", "--mesage|unknown option '--mesage'; did you mean --message?",
			"--reconect|unknown option '--reconect'; did you mean --reconnect?", "-m|option '--message' needs a value (TEXT)",
			"--interactive=yes|option '--interactive' takes no value (it was given 'yes')" })
	void aMistakeIsAUsageErrorThatNamesTheOption(String argument, String message) {
		assertUsageError(() -> Arguments.parse(argument), message);
	}

	@Test
	void aSecondUrlIsAUsageErrorThatPointsToMessages() {
		assertUsageError(() -> Arguments.parse("ws://a.test/", "hello"),
				"unexpected argument 'hello': give one URL; a message goes with -m TEXT");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "5x|'5x' is not a duration: use 500ms, 10s or 1m",
			"0s|'0s' must be more than zero", "-1s|'-1s' must be more than zero",
			"PT|'PT' is not a duration: use 500ms, 10s or 1m" })
	void aDurationThatIsNotOneSaysWhatToWrite(String text, String why) {
		Arguments arguments = Arguments.parse("--reconnect-delay", text);
		assertUsageError(() -> arguments.duration(ClientOption.RECONNECT_DELAY),
				"invalid value for option '--reconnect-delay': " + why);
	}

	@Test
	void aNumberThatIsNotOneIsAUsageError() {
		Arguments arguments = Arguments.parse("--reconnect-attempts", "many");
		assertUsageError(() -> arguments.integer(ClientOption.RECONNECT_ATTEMPTS),
				"invalid value for option '--reconnect-attempts': 'many' is not a whole number");
	}

	@Test
	void helpListsEveryOptionWithinEightyColumns() {
		String help = Help.text();
		for (ClientOption option : ClientOption.values()) {
			assertThat(help).contains(option.longName());
		}
		assertThat(help.lines()).allSatisfy((line) -> assertThat(line.length()).as(line).isLessThan(80));
		assertThat(help).contains("--connect-timeout=DURATION\n                            How long the TCP",
				"(default: 5s; 500ms, 10s, 1m)", "    2   the command line was wrong\n");
	}

	private static void assertUsageError(Runnable parse, String message) {
		assertThatThrownBy(parse::run).isInstanceOf(UsageError.class).hasMessage(message);
	}

}
