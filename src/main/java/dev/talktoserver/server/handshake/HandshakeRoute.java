package dev.talktoserver.server.handshake;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.talktoserver.access.QueryToken;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Takes requests for the WebSocket endpoints straight to their handshake, ahead of the rest of the
 * filter chain and the DispatcherServlet: an upgrade needs neither the HTTP request observation nor
 * Spring MVC's search through its handler mappings, and after a drain every client of an instance
 * reconnects at once, so each handshake's cost is paid thousands of times in a few seconds. The
 * handshake's own checks (origin, token, capacity, memory) are its interceptors, as before; a request
 * that is not an upgrade gets its 400 or 426 from the handshake, as before. Requests to other paths
 * pass on.
 */
final class HandshakeRoute extends OncePerRequestFilter {

	private final Map<String, WebSocketHttpRequestHandler> endpoints;

	HandshakeRoute(Map<String, WebSocketHttpRequestHandler> endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The path within the application, as the filter's URL patterns are: without a context path.
		WebSocketHttpRequestHandler endpoint = this.endpoints
			.get(request.getRequestURI().substring(request.getContextPath().length()));
		if (endpoint == null) {
			chain.doFilter(request, response);
			return;
		}
		// A token in the query is for the token check alone, not for the session's URI.
		endpoint.handleRequest(QueryToken.takenOut(request), response);
	}

}
