package dev.talktoserver.server;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Puts the talk handler at {@value #TALK_PATH}. Spring's registration accepts same-origin handshakes
 * and handshakes without an {@code Origin} header (command-line clients), like the Go original's
 * default upgrader.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

	static final String TALK_PATH = "/talk-to-server";

	private final TalkHandler talkHandler;

	WebSocketConfig(TalkHandler talkHandler) {
		this.talkHandler = talkHandler;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.talkHandler, TALK_PATH);
	}

}
