package dev.talktoserver.server.connection;

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
 * can reconnect elsewhere rather than see their connection drop (1006). What waits to be sent to a
 * client is dropped; its close follows the frame under way. A session whose client has not taken that
 * frame within a few seconds is dropped without a close.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(GracefulShutdown.class);

	/**
	 * How long a session may take to send its close frame: the frame under way, if any, goes first, and
	 * a client that reads takes it in far less.
	 */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

	/** How long the sessions dropped after that take to be gone. */
	private static final Duration ABORT_WAIT = Duration.ofSeconds(1);

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
		if (!awaitClosed(CLOSE_WAIT)) {
			// Each still has a frame under way that its client has not taken: it will not take the close.
			logger.info("shutting down: {} session(s) still had a frame under way after {} s; dropping them",
					this.sessions.size(), CLOSE_WAIT.toSeconds());
			for (TalkSession session : this.sessions.all()) {
				session.abort();
			}
			awaitClosed(ABORT_WAIT);
		}
	}

	/** Whether every session has closed within {@code wait}. */
	private boolean awaitClosed(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			// A short poll: this runs once, at shutdown, and must not hold up the rest for long.
			while (this.sessions.size() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.sessions.size() == 0;
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
