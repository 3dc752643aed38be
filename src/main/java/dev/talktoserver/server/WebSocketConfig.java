package dev.talktoserver.server;

import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.server.connection.SessionGuards;
import dev.talktoserver.server.handshake.Handshakes;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The endpoints, {@value TalkHandler#PATH} and {@value EchoHandler#PATH}: each handler behind the same
 * handshake ({@code handshake/}: origin, token, capacity, upgrade) and session guard
 * ({@code connection/}: limits, meters, the send path).
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
	FilterRegistrationBean<?> webSocketEndpoints(TalkHandler talkHandler, EchoHandler echoHandler,
			SessionGuards guards, Handshakes handshakes, TalkProperties properties) {
		return handshakes.route(Map.of(
				TalkHandler.PATH, guards.guard(talkHandler, TalkHandler.PATH, properties.maxTextMessageSize()),
				EchoHandler.PATH, guards.guard(echoHandler, EchoHandler.PATH, properties.echo().maxMessageSize())));
	}

	@Bean
	static ServletServerContainerFactoryBean webSocketContainer() {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(MESSAGE_BUFFER_SIZE);
		container.setMaxBinaryMessageBufferSize(MESSAGE_BUFFER_SIZE);
		return container;
	}

}
