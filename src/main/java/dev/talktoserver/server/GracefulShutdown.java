package dev.talktoserver.server;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, before the web server stops: readiness goes to REFUSING_TRAFFIC, new handshakes get
 * 503, and every open session is closed with 1001 "server shutting down", so that clients learn why and
 * can reconnect elsewhere rather than see their connection drop (1006). It then waits, briefly, for the
 * clients to answer the close.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(GracefulShutdown.class);

	/** How long clients get to answer the close frame before the web server stops regardless. */
	private static final Duration CLOSE_ANSWER_WAIT = Duration.ofSeconds(5);

	private final SessionRegistry sessions;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	GracefulShutdown(SessionRegistry sessions, ApplicationEventPublisher events) {
		this.sessions = sessions;
		this.events = events;
	}

	private volatile boolean stoppedBefore;

	/**
	 * Runs at start-up, and again when a stopped context is started again (Spring's test framework
	 * stops cached contexts it is not using and restarts them): then the server takes traffic again.
	 */
	@Override
	public void start() {
		this.running = true;
		if (this.stoppedBefore) {
			this.sessions.reopen();
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.stoppedBefore = true;
		this.sessions.beginShutdown();
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		int open = this.sessions.size();
		logger.info("shutting down: closing {} WebSocket session(s) with 1001", open);
		for (TalkSession session : this.sessions.all()) {
			session.close(CloseStatuses.SHUTTING_DOWN);
		}
		awaitClosed();
	}

	private void awaitClosed() {
		long deadline = System.nanoTime() + CLOSE_ANSWER_WAIT.toNanos();
		try {
			// A short poll: this runs once, at shutdown, and must not hold up the rest for long.
			while (this.sessions.size() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.sessions.size() > 0) {
			logger.info("shutting down: {} session(s) did not answer the close in time", this.sessions.size());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** The highest phase stops first: before the web server's graceful shutdown and its stop. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
