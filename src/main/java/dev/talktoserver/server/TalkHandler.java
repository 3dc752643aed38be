package dev.talktoserver.server;

import java.nio.charset.StandardCharsets;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.MessageLog;
import dev.talktoserver.server.connection.CloseStatuses;
import dev.talktoserver.server.connection.LoggedMessage;
import dev.talktoserver.server.connection.SessionRegistry;
import dev.talktoserver.server.connection.TalkSession;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /talk-to-server}: logs every text message and answers each one with the configured reply.
 * Messages arrive in parts of at most the container's buffer size, so that an idle connection holds no
 * buffer of the message limit's size. Of a longer message only what its log line shows is kept
 * ({@link LoggedMessage}): the reply does not depend on the rest (the session guard has checked its
 * size against {@code talk.max-text-message-size}).
 */
@Component
class TalkHandler extends TextWebSocketHandler {

	static final String PATH = "/talk-to-server";

	private final SessionRegistry sessions;

	private final MessageLog messageLog;

	/** Encoded once: every reply is the same text. */
	private final byte[] reply;

	private final int maxLoggedChars;

	TalkHandler(SessionRegistry sessions, MessageLog messageLog, TalkProperties properties) {
		this.sessions = sessions;
		this.messageLog = messageLog;
		this.reply = properties.reply().getBytes(StandardCharsets.UTF_8);
		this.maxLoggedChars = properties.log().maxMessageChars();
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		TalkSession talkSession = this.sessions.get(session);
		String part = message.getPayload();
		if (!message.isLast()) {
			talkSession.partialMessage(this.maxLoggedChars).append(part);
			return;
		}
		LoggedMessage parts = talkSession.takePartialMessage();
		if (parts == null) {
			this.messageLog.received(talkSession.id(), talkSession.remoteAddress(), talkSession.principal(),
					talkSession.endpoint(), part,
					part.length());
		}
		else {
			parts.append(part);
			this.messageLog.received(talkSession.id(), talkSession.remoteAddress(), talkSession.principal(),
					talkSession.endpoint(),
					parts.start(), parts.chars());
		}
		talkSession.sendText(this.reply);
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		this.sessions.get(session).close(CloseStatuses.BINARY_NOT_ACCEPTED);
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

}
