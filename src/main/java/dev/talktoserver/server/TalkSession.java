package dev.talktoserver.server;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * One open connection as the server keeps it: a send path that many threads may use at once (Spring's
 * own sessions allow one sender at a time), and the names the logs use for it, worked out once when
 * the connection opens rather than for every message.
 */
final class TalkSession {

	private final String id;

	private final String remoteAddress;

	private final ConcurrentWebSocketSessionDecorator sender;

	TalkSession(WebSocketSession session, int sendTimeLimitMillis, int sendBufferSizeLimit) {
		this.id = session.getId();
		this.remoteAddress = describe(session.getRemoteAddress());
		this.sender = new ConcurrentWebSocketSessionDecorator(session, sendTimeLimitMillis, sendBufferSizeLimit);
	}

	String id() {
		return this.id;
	}

	String remoteAddress() {
		return this.remoteAddress;
	}

	void send(WebSocketMessage<?> message) throws IOException {
		this.sender.sendMessage(message);
	}

	private static String describe(InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return host.contains(":") ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
	}

}
