package dev.talktoserver.server.connection;

/**
 * A token bucket for one connection: up to {@code perSecond} messages in any one second, refilled
 * continuously, so a steady sender at the limit is never cut off and a burst above it is. Only the
 * thread that delivers the connection's messages uses it.
 */
final class MessageRateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int perSecond;

	private double tokens;

	private long lastRefillNanos;

	private MessageRateLimiter(int perSecond) {
		this.perSecond = perSecond;
		this.tokens = perSecond;
		this.lastRefillNanos = System.nanoTime();
	}

	/** A limiter, or null when {@code perSecond} is 0 (no limit): unlimited costs nothing per message. */
	static MessageRateLimiter perSecond(int perSecond) {
		return (perSecond > 0) ? new MessageRateLimiter(perSecond) : null;
	}

	boolean tryAcquire(long nowNanos) {
		double refill = (double) (nowNanos - this.lastRefillNanos) * this.perSecond / NANOS_PER_SECOND;
		this.tokens = Math.min(this.perSecond, this.tokens + refill);
		this.lastRefillNanos = nowNanos;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens--;
		return true;
	}

}
