package dev.talktoserver.access;

import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.HandshakeRejection;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Which pages may open a connection: the server's own origin, or those of {@code talk.allowed-origins}
 * (exact origins and patterns); handshakes without an {@code Origin} header (command-line clients) are
 * accepted. Spring's own check decides (403); this one also says so in the log, which Spring's does
 * only at DEBUG.
 */
@Component
public final class OriginPolicy extends OriginHandshakeInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(OriginPolicy.class);

	private final TalkMetrics metrics;

	OriginPolicy(TalkProperties properties, TalkMetrics metrics) {
		this.metrics = metrics;
		if (!properties.allowedOrigins().isEmpty()) {
			setAllowedOriginPatterns(properties.allowedOrigins());
		}
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		if (super.beforeHandshake(request, response, wsHandler, attributes)) {
			return true;
		}
		String path = request.getURI().getPath();
		logger.info("handshake from {} to {} refused with 403: origin {} is not allowed", request.getRemoteAddress(),
				path, request.getHeaders().getFirst(HttpHeaders.ORIGIN));
		this.metrics.handshakeRejected(path, HandshakeRejection.ORIGIN);
		return false;
	}

}
