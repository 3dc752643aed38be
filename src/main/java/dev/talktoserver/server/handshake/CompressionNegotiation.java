package dev.talktoserver.server.handshake;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import dev.talktoserver.TalkProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * The container's upgrade, with permessage-deflate (RFC 7692) accepted only where
 * {@code talk.compression.enabled} is on. Every browser offers it. When it is off, the offer is hidden
 * from the container as well as from Spring's negotiation: Tomcat negotiates the extensions again from
 * the request's own {@code Sec-WebSocket-Extensions} header and would otherwise accept what Spring
 * declined. The client then talks uncompressed, which every client can.
 */
@Component
class CompressionNegotiation extends StandardWebSocketUpgradeStrategy {

	private static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

	private final boolean enabled;

	CompressionNegotiation(TalkProperties properties) {
		this.enabled = properties.compression().enabled();
	}

	@Override
	public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
		return this.enabled ? super.getSupportedExtensions(request) : List.of();
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ServerHttpRequest upgraded = request;
		if (!this.enabled && request instanceof ServletServerHttpRequest servletRequest
				&& servletRequest.getServletRequest().getHeader(EXTENSIONS_HEADER) != null) {
			upgraded = new ServletServerHttpRequest(new WithoutExtensionOffers(servletRequest.getServletRequest()));
		}
		super.upgrade(upgraded, response, selectedProtocol, selectedExtensions, user, wsHandler, attributes);
	}

	/** The request as the container sees it when no extension may be negotiated: without the offer. */
	private static final class WithoutExtensionOffers extends HttpServletRequestWrapper {

		WithoutExtensionOffers(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return isOffer(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isOffer(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(WithoutExtensionOffers::isOffer);
			return Collections.enumeration(names);
		}

		private static boolean isOffer(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name);
		}

	}

}
