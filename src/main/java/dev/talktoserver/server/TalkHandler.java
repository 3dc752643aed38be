package dev.talktoserver.server;

import java.io.IOException;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /talk-to-server}: logs every text message and answers each one with the configured reply.
 */
@Component
class TalkHandler extends TextWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(TalkHandler.class);

	private final SessionRegistry sessions;

	private final MessageLog messageLog;

	/** Built once: every reply is the same text. */
	private final TextMessage reply;

	TalkHandler(SessionRegistry sessions, MessageLog messageLog, TalkProperties properties) {
		this.sessions = sessions;
		this.messageLog = messageLog;
		this.reply = new TextMessage(properties.reply());
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		TalkSession talkSession = this.sessions.register(session);
		logger.debug("session {} ({}) opened", talkSession.id(), talkSession.remoteAddress());
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		TalkSession talkSession = this.sessions.get(session);
		this.messageLog.received(talkSession.id(), talkSession.remoteAddress(), message.getPayload());
		talkSession.send(this.reply);
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		// A client that goes away mid-send is routine; Spring closes the session next.
		logger.debug("session {} transport error: {}", session.getId(), exception.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		TalkSession talkSession = this.sessions.remove(session);
		if (talkSession != null) {
			logger.debug("session {} ({}) closed with {} {}", talkSession.id(), talkSession.remoteAddress(),
					status.getCode(), (status.getReason() != null) ? status.getReason() : "");
		}
	}

}
