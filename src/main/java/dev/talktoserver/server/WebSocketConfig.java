package dev.talktoserver.server;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The endpoints, {@value TalkHandler#PATH} and {@value EchoHandler#PATH}, each behind the same origin
 * policy, token check, handshake gate and session guard.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

	/**
	 * The container's per-connection message buffer. Messages arrive in parts of at most this size
	 * and are put together by the handlers up to each endpoint's own limit, so an idle connection holds
	 * this much rather than a buffer as large as the largest message allowed.
	 */
	static final int MESSAGE_BUFFER_SIZE = 512;

	private final TalkHandler talkHandler;

	private final EchoHandler echoHandler;

	private final SessionRegistry sessions;

	private final SessionTuning tuning;

	private final OriginPolicy originPolicy;

	private final TokenCheck tokenCheck;

	private final HandshakeGate gate;

	private final HandshakeRequestCheck handshakeHandler;

	private final TalkMetrics metrics;

	private final TalkProperties properties;

	WebSocketConfig(TalkHandler talkHandler, EchoHandler echoHandler, SessionRegistry sessions, SessionTuning tuning,
			OriginPolicy originPolicy, TokenCheck tokenCheck, HandshakeGate gate, HandshakeRequestCheck handshakeHandler, TalkMetrics metrics,
			TalkProperties properties) {
		this.talkHandler = talkHandler;
		this.echoHandler = echoHandler;
		this.sessions = sessions;
		this.tuning = tuning;
		this.originPolicy = originPolicy;
		this.tokenCheck = tokenCheck;
		this.gate = gate;
		this.handshakeHandler = handshakeHandler;
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		register(registry, this.talkHandler, TalkHandler.PATH, this.properties.maxTextMessageSize());
		register(registry, this.echoHandler, EchoHandler.PATH, this.properties.echo().maxMessageSize());
	}

	private void register(WebSocketHandlerRegistry registry, WebSocketHandler handler, String path,
			DataSize maxMessageSize) {
		SessionGuard guarded = new SessionGuard(handler, this.metrics.endpoint(path), maxMessageSize.toBytes(),
				this.sessions, this.tuning, this.properties.maxMessagesPerSecond());
		WebSocketHandlerRegistration registration = registry.addHandler(guarded, path)
			.setHandshakeHandler(this.handshakeHandler)
			// Strangers learn nothing past the token check, not even whether the server is full.
			.addInterceptors(this.originPolicy, this.tokenCheck, this.gate);
		// Spring adds its own origin check after ours; given the same origins it never disagrees.
		if (!this.properties.allowedOrigins().isEmpty()) {
			registration.setAllowedOriginPatterns(this.properties.allowedOrigins().toArray(String[]::new));
		}
	}

	@Bean
	static ServletServerContainerFactoryBean webSocketContainer() {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(MESSAGE_BUFFER_SIZE);
		container.setMaxBinaryMessageBufferSize(MESSAGE_BUFFER_SIZE);
		return container;
	}

}
