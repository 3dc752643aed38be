package dev.talktoserver.server;

import java.io.IOException;

import dev.talktoserver.TalkProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code /echo}: sends every text and binary message back exactly, type preserved, for client
 * debugging and protocol conformance. Each part is echoed as it arrives, so a message of up to
 * {@code talk.echo.max-message-size} passes through without a buffer of that size. Messages are not
 * logged: this endpoint is for testing clients, and its messages can be large.
 */
@Component
class EchoHandler extends AbstractWebSocketHandler {

	static final String PATH = "/echo";

	private final SessionRegistry sessions;

	private final long maxMessageBytes;

	EchoHandler(SessionRegistry sessions, TalkProperties properties) {
		this.sessions = sessions;
		this.maxMessageBytes = properties.echo().maxMessageSize().toBytes();
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		echo(session, Utf8.encodedLength(message.getPayload()), message.isLast(), message);
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
		echo(session, message.getPayloadLength(), message.isLast(), message);
	}

	private void echo(WebSocketSession session, int partBytes, boolean last, WebSocketMessage<?> message)
			throws IOException {
		TalkSession talkSession = this.sessions.get(session);
		if (!talkSession.countPart(partBytes, last, this.maxMessageBytes)) {
			talkSession.close(CloseStatuses.tooBig(this.maxMessageBytes));
			return;
		}
		talkSession.send(message);
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

}
