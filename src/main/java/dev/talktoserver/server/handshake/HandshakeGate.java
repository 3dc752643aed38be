package dev.talktoserver.server.handshake;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;

import dev.talktoserver.access.TokenCheck;
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
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Turns a handshake away, with 503 and {@code Retry-After}, when the server is shutting down, at its
 * connection cap, or at its memory budget, and with 429 and {@code Retry-After} when the client already
 * holds its share of connections ({@code talk.max-connections-per-client}): a status the client can act
 * on, instead of a connection the container queues without a word. The share is taken here, last, and
 * given back if the upgrade does not follow.
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

	/** Seconds: only the client itself can free its share, by closing connections it holds. */
	private static final String RETRY_WHEN_OVER_SHARE = "10";

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
		String client = client(request, attributes);
		if (!this.sessions.takeShare(client)) {
			// Once per episode: a client that keeps trying would otherwise write a line per attempt.
			String why = this.sessions.firstShareRefusal(client) ? client + " holds its share of "
					+ this.sessions.share() + " connections (talk.max-connections-per-client)" : null;
			return refuse(request, response, HandshakeRejection.CLIENT_SHARE, HttpStatus.TOO_MANY_REQUESTS,
					RETRY_WHEN_OVER_SHARE, why);
		}
		attributes.put(SessionRegistry.CLIENT_ATTRIBUTE, client);
		if (request instanceof ServletServerHttpRequest servletRequest) {
			servletRequest.getServletRequest().setAttribute(SessionRegistry.CLIENT_ATTRIBUTE, client);
		}
		return true;
	}

	/**
	 * Who the client is, for its share: its principal where the handshake has one, else its address (as
	 * {@code server.forward-headers-strategy} reports it behind a proxy).
	 */
	private static String client(ServerHttpRequest request, Map<String, Object> attributes) {
		Object jwt = attributes.get(TokenCheck.PRINCIPAL_ATTRIBUTE);
		Principal principal = (jwt instanceof Principal given) ? given : request.getPrincipal();
		if (principal != null) {
			return "principal " + principal.getName();
		}
		if (request instanceof ServletServerHttpRequest servletRequest) {
			return servletRequest.getServletRequest().getRemoteAddr();
		}
		InetSocketAddress address = request.getRemoteAddress();
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HandshakeRejection rejection,
			String retryAfter, String why) {
		return refuse(request, response, rejection, HttpStatus.SERVICE_UNAVAILABLE, retryAfter, why);
	}

	/** Answers {@code status} with {@code Retry-After}; logs why, unless {@code why} is null. */
	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HandshakeRejection rejection,
			HttpStatus status, String retryAfter, String why) {
		String path = request.getURI().getPath();
		if (why != null) {
			logger.info("handshake from {} to {} refused with {}: {}", request.getRemoteAddress(), path,
					status.value(), why);
		}
		this.metrics.handshakeRejected(path, rejection);
		response.setStatusCode(status);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfter);
		return false;
	}

	/**
	 * Called for every handshake that passed this gate: a check after it refused, or the upgrade failed,
	 * unless the response switched protocols. The share then goes back at once.
	 */
	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
		if (exception != null || !(response instanceof ServletServerHttpResponse servletResponse)
				|| servletResponse.getServletResponse().getStatus() != HttpStatus.SWITCHING_PROTOCOLS.value()) {
			// The client as this gate named it: the principal may have been the token's.
			Object client = (request instanceof ServletServerHttpRequest servletRequest)
					? servletRequest.getServletRequest().getAttribute(SessionRegistry.CLIENT_ATTRIBUTE) : null;
			if (client != null) {
				this.sessions.giveBackShare((String) client);
			}
		}
	}

}
