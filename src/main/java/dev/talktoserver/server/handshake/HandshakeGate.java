package dev.talktoserver.server.handshake;

import java.util.Map;

import dev.talktoserver.observability.HandshakeRejection;
import dev.talktoserver.observability.TalkMetrics;
import dev.talktoserver.server.connection.MemoryBudget;
import dev.talktoserver.server.connection.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Turns a handshake away, with 503 and {@code Retry-After}, when the server is shutting down, at its
 * connection cap, or at its memory budget: a status the client can act on, instead of a connection the
 * container queues without a word.
 */
@Component
class HandshakeGate implements HandshakeInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(HandshakeGate.class);

	/** Seconds: a full server may have room again soon. */
	private static final String RETRY_WHEN_FULL = "5";

	/** Seconds: another instance can take the connection at once. */
	private static final String RETRY_WHEN_SHUTTING_DOWN = "1";

	/** Seconds: the budget frees up as connections close or finish their messages. */
	private static final String RETRY_WHEN_LOW_ON_MEMORY = "5";

	private final SessionRegistry sessions;

	private final MemoryBudget budget;

	private final TalkMetrics metrics;

	HandshakeGate(SessionRegistry sessions, MemoryBudget budget, TalkMetrics metrics) {
		this.sessions = sessions;
		this.budget = budget;
		this.metrics = metrics;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler wsHandler, Map<String, Object> attributes) {
		if (this.sessions.isShuttingDown()) {
			return refuse(request, response, HandshakeRejection.SHUTTING_DOWN, RETRY_WHEN_SHUTTING_DOWN,
					"the server is shutting down");
		}
		if (!this.sessions.hasRoom()) {
			return refuse(request, response, HandshakeRejection.CAPACITY, RETRY_WHEN_FULL,
					"the server is at its connection cap of " + this.sessions.capacity());
		}
		String extensions = request.getHeaders().getFirst("Sec-WebSocket-Extensions");
		if (!this.budget.hasRoomFor(extensions != null && extensions.contains("permessage-deflate"))) {
			// The budget logs its episode once; a line per refused handshake would add to the load.
			return refuse(request, response, HandshakeRejection.MEMORY, RETRY_WHEN_LOW_ON_MEMORY, null);
		}
		return true;
	}

	/** Answers 503 with {@code Retry-After}; logs why, unless {@code why} is null. */
	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HandshakeRejection rejection,
			String retryAfter, String why) {
		String path = request.getURI().getPath();
		if (why != null) {
			logger.info("handshake from {} to {} refused with 503: {}", request.getRemoteAddress(), path, why);
		}
		this.metrics.handshakeRejected(path, rejection);
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfter);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
	}

}
