package dev.talktoserver.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how often the client connects again after losing the server: up to {@code attempts} times
 * per outage, waiting before each a random time between zero and a ceiling that starts at
 * {@code initialDelay} and doubles up to {@code maxDelay} ("full jitter"). The randomness is the point:
 * when an instance shuts down, all of its clients lose it at the same moment, and they should not all
 * come back at the same moment too.
 */
record Reconnect(int attempts, Duration initialDelay, Duration maxDelay) {

	/** Never reconnect: the first lost connection ends the run. */
	static final Reconnect NEVER = new Reconnect(0, Duration.ZERO, Duration.ZERO);

	boolean enabled() {
		return this.attempts > 0;
	}

	/** How long to wait before attempt {@code attempt} (1 for the first) of an outage. */
	Duration delayBefore(int attempt) {
		return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling(attempt).toNanos() + 1));
	}

	/** The longest wait before attempt {@code attempt}: the initial delay doubled each time, capped. */
	Duration ceiling(int attempt) {
		int doublings = Math.min(attempt - 1, 30);
		Duration ceiling = this.initialDelay.multipliedBy(1L << doublings);
		return (ceiling.compareTo(this.maxDelay) > 0) ? this.maxDelay : ceiling;
	}

}
