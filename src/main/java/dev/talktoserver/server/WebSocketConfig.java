package dev.talktoserver.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The endpoints, {@value TalkHandler#PATH} and {@value EchoHandler#PATH}, each behind the same origin
 * policy, token check, handshake gate and session guard, served by a filter of their own
 * ({@link HandshakeRoute}) rather than through Spring MVC.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

	/**
	 * The container's per-connection message buffer. Messages arrive in parts of at most this size
	 * and are put together by the handlers up to each endpoint's own limit, so an idle connection holds
	 * this much rather than a buffer as large as the largest message allowed.
	 */
	static final int MESSAGE_BUFFER_SIZE = 512;

	@Bean
	FilterRegistrationBean<HandshakeRoute> webSocketEndpoints(TalkHandler talkHandler, EchoHandler echoHandler,
			SessionRegistry sessions, SessionTuning tuning, OriginPolicy originPolicy, TokenCheck tokenCheck,
			HandshakeGate gate, HandshakeRequestCheck handshakeHandler, TalkMetrics metrics,
			TalkProperties properties) {
		// Strangers learn nothing past the token check, not even whether the server is full. Spring's own
		// origin check comes after ours, as its registry would add it; given the same origins it never
		// disagrees.
		List<HandshakeInterceptor> interceptors = new ArrayList<>(List.of(originPolicy, tokenCheck, gate));
		OriginHandshakeInterceptor springOriginCheck = new OriginHandshakeInterceptor();
		if (!properties.allowedOrigins().isEmpty()) {
			springOriginCheck.setAllowedOriginPatterns(properties.allowedOrigins());
		}
		interceptors.add(springOriginCheck);
		Map<String, WebSocketHttpRequestHandler> endpoints = Map.of(
				TalkHandler.PATH, endpoint(talkHandler, TalkHandler.PATH, properties.maxTextMessageSize(), sessions,
						tuning, handshakeHandler, interceptors, metrics, properties),
				EchoHandler.PATH, endpoint(echoHandler, EchoHandler.PATH, properties.echo().maxMessageSize(), sessions,
						tuning, handshakeHandler, interceptors, metrics, properties));
		FilterRegistrationBean<HandshakeRoute> registration = new FilterRegistrationBean<>(new HandshakeRoute(endpoints));
		registration.addUrlPatterns(TalkHandler.PATH, EchoHandler.PATH);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	private static WebSocketHttpRequestHandler endpoint(WebSocketHandler handler, String path, DataSize maxMessageSize,
			SessionRegistry sessions, SessionTuning tuning, HandshakeRequestCheck handshakeHandler,
			List<HandshakeInterceptor> interceptors, TalkMetrics metrics, TalkProperties properties) {
		SessionGuard guarded = new SessionGuard(handler, metrics.endpoint(path), maxMessageSize.toBytes(), sessions,
				tuning, properties.maxMessagesPerSecond());
		WebSocketHttpRequestHandler endpoint = new WebSocketHttpRequestHandler(guarded, handshakeHandler);
		endpoint.setHandshakeInterceptors(interceptors);
		return endpoint;
	}

	@Bean
	static ServletServerContainerFactoryBean webSocketContainer() {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(MESSAGE_BUFFER_SIZE);
		container.setMaxBinaryMessageBufferSize(MESSAGE_BUFFER_SIZE);
		return container;
	}

}
