package dev.talktoserver.server.handshake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.talktoserver.access.OriginPolicy;
import dev.talktoserver.access.TokenCheck;
import dev.talktoserver.TalkProperties;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The handshake that every endpoint gets: the origin policy, the token check and the gate, in that
 * order, then Spring's own origin check and the upgrade ({@link HandshakeRequestCheck}), served by a
 * filter of their own ({@link HandshakeRoute}) rather than through Spring MVC.
 */
@Component
public final class Handshakes {

	private final List<HandshakeInterceptor> checks;

	private final HandshakeRequestCheck upgrade;

	Handshakes(OriginPolicy originPolicy, TokenCheck tokenCheck, HandshakeGate gate, HandshakeRequestCheck upgrade,
			TalkProperties properties) {
		// Strangers learn nothing past the token check, not even whether the server is full. Spring's own
		// origin check comes after ours, as its registry would add it; given the same origins it never
		// disagrees.
		OriginHandshakeInterceptor springOriginCheck = new OriginHandshakeInterceptor();
		if (!properties.allowedOrigins().isEmpty()) {
			springOriginCheck.setAllowedOriginPatterns(properties.allowedOrigins());
		}
		this.checks = List.of(originPolicy, tokenCheck, gate, springOriginCheck);
		this.upgrade = upgrade;
	}

	/** The filter that takes the handshakes of each path to its handler, ahead of everything else. */
	public FilterRegistrationBean<?> route(Map<String, WebSocketHandler> endpoints) {
		Map<String, WebSocketHttpRequestHandler> handshakes = new HashMap<>();
		endpoints.forEach((path, handler) -> {
			WebSocketHttpRequestHandler handshake = new WebSocketHttpRequestHandler(handler, this.upgrade);
			handshake.setHandshakeInterceptors(this.checks);
			handshakes.put(path, handshake);
		});
		FilterRegistrationBean<HandshakeRoute> registration = new FilterRegistrationBean<>(new HandshakeRoute(handshakes));
		registration.addUrlPatterns(endpoints.keySet().toArray(String[]::new));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
