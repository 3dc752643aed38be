package dev.talktoserver.server;

import dev.talktoserver.server.connection.SessionRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code /echo}: sends every text and binary message back exactly, type preserved, for client
 * debugging and protocol conformance. Each part is echoed as it arrives, as a part of one message, so a
 * message of up to {@code talk.echo.max-message-size} (checked by the session guard) passes through
 * without a buffer of that size, at the pace at which the client reads (the session's send path stops
 * reading while too much waits for it). Messages are not logged: this endpoint is for testing clients,
 * and its messages can be large.
 */
@Component
class EchoHandler extends AbstractWebSocketHandler {

	static final String PATH = "/echo";

	private final SessionRegistry sessions;

	EchoHandler(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.sessions.get(session).echo(message);
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		this.sessions.get(session).echo(message);
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

}
