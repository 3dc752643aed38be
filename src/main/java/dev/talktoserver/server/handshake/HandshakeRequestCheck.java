package dev.talktoserver.server.handshake;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;

import dev.talktoserver.access.TokenCheck;
import dev.talktoserver.observability.HandshakeRejection;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Spring's handshake, with its answers to requests that are not valid WebSocket upgrades (a plain GET,
 * a wrong {@code Connection} header, an unsupported version) counted and logged at INFO: they are the
 * client's mistake, which Spring would log as an ERROR of the server. The upgrade itself is the
 * container's, with compression negotiated as {@link CompressionNegotiation} decides.
 */
@Component
class HandshakeRequestCheck extends DefaultHandshakeHandler {

	private static final Logger logger = LoggerFactory.getLogger(HandshakeRequestCheck.class);

	private final TalkMetrics metrics;

	HandshakeRequestCheck(TalkMetrics metrics, CompressionNegotiation upgrade) {
		super(upgrade);
		this.metrics = metrics;
		// A browser that sends its token as a subprotocol offers this one beside it, and needs one selected.
		// Only this one is ever selected, so a token offered as bearer.TOKEN is never sent back.
		setSupportedProtocols(TokenCheck.SUBPROTOCOL);
	}

	/** The JWT's principal, for {@code WebSocketSession.getPrincipal()}; else the request's, as Spring's. */
	@Override
	protected Principal determineUser(ServerHttpRequest request, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		Object principal = attributes.get(TokenCheck.PRINCIPAL_ATTRIBUTE);
		return (principal instanceof Principal jwt) ? jwt : super.determineUser(request, wsHandler, attributes);
	}

	@Override
	protected void handleInvalidUpgradeHeader(ServerHttpRequest request, ServerHttpResponse response) {
		refuse(request, response, HttpStatus.BAD_REQUEST, "Upgrade header is not 'websocket'",
				"Can \"Upgrade\" only to \"WebSocket\".");
	}

	@Override
	protected void handleInvalidConnectHeader(ServerHttpRequest request, ServerHttpResponse response) {
		refuse(request, response, HttpStatus.BAD_REQUEST, "Connection header does not include 'upgrade'",
				"\"Connection\" must be \"upgrade\".");
	}

	@Override
	protected void handleWebSocketVersionNotSupported(ServerHttpRequest request, ServerHttpResponse response) {
		response.getHeaders().set("Sec-WebSocket-Version", String.join(", ", getSupportedVersions()));
		refuse(request, response, HttpStatus.UPGRADE_REQUIRED, "unsupported WebSocket version",
				"WebSocket version 13 is required.");
	}

	private void refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status, String why,
			String body) {
		String path = request.getURI().getPath();
		logger.info("handshake from {} to {} refused with {}: {}", request.getRemoteAddress(), path, status.value(),
				why);
		this.metrics.handshakeRejected(path, HandshakeRejection.BAD_REQUEST);
		response.setStatusCode(status);
		try {
			response.getBody().write(body.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.io.IOException ex) {
			// The client went away: there is no one left to tell.
		}
	}

}
