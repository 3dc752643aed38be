package dev.talktoserver.server.connection;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.WebSocketHandler;

/** Puts a {@link SessionGuard} around each endpoint's handler, with the endpoint's own meters and limit. */
@Component
public final class SessionGuards {

	private final SessionRegistry sessions;

	private final SessionTuning tuning;

	private final TalkMetrics metrics;

	private final int maxMessagesPerSecond;

	SessionGuards(SessionRegistry sessions, SessionTuning tuning, TalkMetrics metrics, TalkProperties properties) {
		this.sessions = sessions;
		this.tuning = tuning;
		this.metrics = metrics;
		this.maxMessagesPerSecond = properties.maxMessagesPerSecond();
	}

	/** {@code handler} for the endpoint at {@code path}, whose messages may be up to {@code maxMessageSize}. */
	public WebSocketHandler guard(WebSocketHandler handler, String path, DataSize maxMessageSize) {
		this.sessions.meterSendQueues(path, this.metrics);
		return new SessionGuard(handler, this.metrics.endpoint(path), maxMessageSize.toBytes(), this.sessions,
				this.tuning, this.maxMessagesPerSecond);
	}

}
