package dev.talktoserver.server.connection;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.TalkProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps connections alive through proxies and load balancers, and ends the ones whose peer is gone:
 * one thread looks over every session a few times per ping interval, pings those from which nothing
 * has arrived for {@code talk.ping-interval}, and closes those from which nothing, not even a pong, has
 * arrived for {@code talk.idle-timeout}, and has those quiet for a second give back the read buffers
 * grown for large messages. The same thread then has the memory budget review what the sessions hold.
 */
@Component
class Heartbeat implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Heartbeat.class);

	private final SessionRegistry sessions;

	private final MemoryBudget budget;

	private final long pingIntervalNanos;

	private final long idleTimeoutNanos;

	private final Duration idleTimeout;

	private final Duration sweepEvery;

	private ScheduledExecutorService scheduler;

	Heartbeat(SessionRegistry sessions, MemoryBudget budget, TalkProperties properties) {
		this.sessions = sessions;
		this.budget = budget;
		this.pingIntervalNanos = properties.pingInterval().toNanos();
		this.idleTimeout = properties.idleTimeout();
		this.idleTimeoutNanos = this.idleTimeout.toNanos();
		this.sweepEvery = sweepEvery(properties.pingInterval(), properties.idleTimeout());
	}

	/** Often enough that a ping or a close is at most a quarter of the shorter period late; at most 1 s. */
	static Duration sweepEvery(Duration pingInterval, Duration idleTimeout) {
		Duration quarter = ((pingInterval.compareTo(idleTimeout) < 0) ? pingInterval : idleTimeout).dividedBy(4);
		Duration atLeast = Duration.ofMillis(10);
		Duration atMost = Duration.ofSeconds(1);
		return (quarter.compareTo(atLeast) < 0) ? atLeast : (quarter.compareTo(atMost) > 0) ? atMost : quarter;
	}

	void sweep() {
		long now = System.nanoTime();
		for (TalkSession session : this.sessions.all()) {
			if (session.broken()) {
				session.closeBroken();
				continue;
			}
			if (!session.isOpen()) {
				continue;
			}
			if (session.tokenExpired(now)) {
				session.close(CloseStatuses.TOKEN_EXPIRED);
				continue;
			}
			session.shrinkReadBuffersIfQuiet(now);
			if (session.readingPaused()) {
				// The server is not reading from it: its silence is ours. A client that reads nothing at
				// all is closed by the send time limit instead.
				session.markReceived();
				continue;
			}
			if (session.nanosSinceLastReceived(now) >= this.idleTimeoutNanos) {
				session.close(CloseStatuses.idle(this.idleTimeout));
				continue;
			}
			session.pingIfQuiet(now, this.pingIntervalNanos);
		}
		this.budget.review();
	}

	@Override
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "talk-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.sweepEvery.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
	}

	private void sweepSafely() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			// A failed sweep must not end the schedule: the next one may well succeed.
			logger.error("heartbeat sweep failed", ex);
		}
	}

	@Override
	public void stop() {
		this.scheduler.shutdownNow();
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
