package dev.talktoserver.server.connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code talk.max-messages-per-second-per-client}: one allowance of messages per second for all the
 * connections of a client (its principal, else its address, as for its share of connections), so that
 * a client with 500 connections does not get 500 times the allowance of {@code talk.max-messages-per-second}.
 * Bursts of up to a second's worth pass, as with the per-connection limit. The connections of a client
 * deliver their messages on different threads at once, so each client's allowance is one number, the
 * time at which it is next clear (the generic cell rate algorithm), moved on by compare-and-set: no
 * thread waits for another.
 */
final class ClientMessageRates {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int perSecond;

	private final long intervalNanos;

	/** How far ahead of now the clear time may run: a burst of {@code perSecond} messages. */
	private final long burstNanos;

	private final Map<String, AtomicLong> clearAt = new ConcurrentHashMap<>();

	private ClientMessageRates(int perSecond) {
		this.perSecond = perSecond;
		this.intervalNanos = NANOS_PER_SECOND / perSecond;
		this.burstNanos = (perSecond - 1) * this.intervalNanos;
	}

	/** The rates, or null when {@code perSecond} is 0 (no limit): unlimited costs nothing per message. */
	static ClientMessageRates perSecond(int perSecond) {
		return (perSecond > 0) ? new ClientMessageRates(perSecond) : null;
	}

	int limit() {
		return this.perSecond;
	}

	/** Whether {@code client} may send one more message now; if so, it is counted. */
	boolean tryAcquire(String client, long nowNanos) {
		AtomicLong clear = this.clearAt.computeIfAbsent(client, (key) -> new AtomicLong(nowNanos));
		while (true) {
			long current = clear.get();
			long from = (current - nowNanos > 0) ? current : nowNanos;
			if (from - nowNanos > this.burstNanos) {
				return false;
			}
			if (clear.compareAndSet(current, from + this.intervalNanos)) {
				return true;
			}
		}
	}

	/** Forgets {@code client}, whose last connection has closed. */
	void forget(String client) {
		this.clearAt.remove(client);
	}

}
