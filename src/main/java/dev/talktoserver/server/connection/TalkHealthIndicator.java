package dev.talktoserver.server.connection;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code talk} health contributor: open sessions against the cap, and OUT_OF_SERVICE once shutdown
 * has begun (it is part of the readiness group, so a load balancer stops sending new connections).
 */
@Component("talk")
class TalkHealthIndicator implements HealthIndicator {

	private final SessionRegistry sessions;

	TalkHealthIndicator(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@Override
	public Health health() {
		Health.Builder health = this.sessions.isShuttingDown() ? Health.outOfService() : Health.up();
		return health.withDetail("activeSessions", this.sessions.size())
			.withDetail("capacity", this.sessions.capacity())
			.build();
	}

}
