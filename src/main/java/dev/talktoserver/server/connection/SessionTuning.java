package dev.talktoserver.server.connection;

import java.time.Duration;
import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.server.send.Outbox;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Per-session settings that Spring's API does not reach, set on the container's own session. A frame
 * that the client has not taken within {@code talk.send-time-limit} fails: the container's
 * asynchronous send timeout, which on Tomcat also drops the connection, so that no thread waits on it
 * ({@link Outbox} hears of it and the session is closed with 1008).
 * <p>
 * The frames that Tomcat still writes with a blocking send of its own, the pong to a client's ping and
 * the close frame, give up after {@link #CONTROL_FRAME_SEND_LIMIT}, and Tomcat then drops the connection:
 * they wait only behind the frame under way, which a client that reads takes in far less, and a client
 * that does not read would otherwise hold the thread for Tomcat's 20 s.
 */
@Component
class SessionTuning {

	/** How long a pong or a close frame may wait to be written: Tomcat's own for an abnormal close. */
	static final Duration CONTROL_FRAME_SEND_LIMIT = Duration.ofMillis(50);

	/** Tomcat reads this user property before each blocking send: pongs, and a close with 1000. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** And this one for a close frame with any other code. */
	private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

	private final long sendTimeLimitMillis;

	SessionTuning(TalkProperties properties) {
		this.sendTimeLimitMillis = properties.sendTimeLimit().toMillis();
	}

	void apply(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession) {
			jakarta.websocket.Session standard = nativeSession.getNativeSession(jakarta.websocket.Session.class);
			if (standard != null) {
				standard.getAsyncRemote().setSendTimeout(this.sendTimeLimitMillis);
				Map<String, Object> properties = standard.getUserProperties();
				Long controlFrameLimit = CONTROL_FRAME_SEND_LIMIT.toMillis();
				properties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, controlFrameLimit);
				properties.put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, controlFrameLimit);
			}
		}
	}

}
