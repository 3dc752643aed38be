package dev.talktoserver.server;

import java.util.Map;

import dev.talktoserver.TalkProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Per-session settings that Spring's API does not reach, set on the container's own session where it
 * has one. Tomcat blocks a send to a client that does not read for 20 s by default; here a send gives
 * up after {@code talk.send-time-limit}, which frees the thread and ends the session.
 */
@Component
class SessionTuning {

	/** Tomcat reads this user property before every blocking send. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final Long sendTimeLimitMillis;

	SessionTuning(TalkProperties properties) {
		this.sendTimeLimitMillis = properties.sendTimeLimit().toMillis();
	}

	void apply(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession) {
			jakarta.websocket.Session standard = nativeSession.getNativeSession(jakarta.websocket.Session.class);
			if (standard != null) {
				Map<String, Object> properties = standard.getUserProperties();
				properties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, this.sendTimeLimitMillis);
			}
		}
	}

}
