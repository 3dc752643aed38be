package dev.talktoserver.server.connection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client allowance, on a clock of the test's own: a burst of a second's worth, then one message
 * per interval; clients apart from each other; a forgotten client starts afresh.
 */
class ClientMessageRatesTests {

	private static final long MS = 1_000_000L;

	@Test
	void aBurstOfASecondsWorthThenOneAnInterval() {
		ClientMessageRates rates = ClientMessageRates.perSecond(10);
		long now = 5_000 * MS;
		for (int i = 0; i < 10; i++) {
			assertThat(rates.tryAcquire("a", now)).as("message %d", i + 1).isTrue();
		}
		assertThat(rates.tryAcquire("a", now)).isFalse();
		assertThat(rates.tryAcquire("b", now)).as("another client").isTrue();
		assertThat(rates.tryAcquire("a", now + 99 * MS)).isFalse();
		assertThat(rates.tryAcquire("a", now + 100 * MS)).isTrue();
		assertThat(rates.tryAcquire("a", now + 100 * MS)).isFalse();
		// A steady sender at the limit is never refused.
		for (int i = 2; i < 50; i++) {
			assertThat(rates.tryAcquire("a", now + i * 100 * MS)).isTrue();
		}
		rates.forget("a");
		for (int i = 0; i < 10; i++) {
			assertThat(rates.tryAcquire("a", now + 5_000 * MS)).isTrue();
		}
	}

	@Test
	void noLimitIsNoRates() {
		assertThat(ClientMessageRates.perSecond(0)).isNull();
	}

}
