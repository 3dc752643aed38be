package dev.talktoserver.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.talktoserver.TalkProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open connections, by session id. The one place that knows every session: what needs to reach
 * all of them (a count, a shutdown notice) starts here.
 */
@Component
class SessionRegistry {

	private final Map<String, TalkSession> sessions = new ConcurrentHashMap<>();

	private final int sendTimeLimitMillis;

	private final int sendBufferSizeLimit;

	SessionRegistry(TalkProperties properties) {
		this.sendTimeLimitMillis = Math.toIntExact(properties.sendTimeLimit().toMillis());
		this.sendBufferSizeLimit = Math.toIntExact(properties.sendBufferSizeLimit().toBytes());
	}

	TalkSession register(WebSocketSession session) {
		TalkSession talkSession = new TalkSession(session, this.sendTimeLimitMillis, this.sendBufferSizeLimit);
		this.sessions.put(talkSession.id(), talkSession);
		return talkSession;
	}

	/**
	 * The session a message arrived on. Spring delivers messages only after
	 * {@code afterConnectionEstablished} has returned, so it is always registered by then.
	 */
	TalkSession get(WebSocketSession session) {
		return this.sessions.get(session.getId());
	}

	TalkSession remove(WebSocketSession session) {
		return this.sessions.remove(session.getId());
	}

	int size() {
		return this.sessions.size();
	}

}
