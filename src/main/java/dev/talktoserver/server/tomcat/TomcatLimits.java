package dev.talktoserver.server.tomcat;

import dev.talktoserver.TalkProperties;
import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat's own limits, set from ours, and its per-connection buffers. Its connection cap (8,192 by default) must sit above
 * {@code talk.max-connections}, or Tomcat would queue handshakes past it without a word where we answer
 * 503; the headroom leaves room for health checks and for the handshakes we refuse. Its connection
 * timeout is how long a new connection may take to send its request, so a half-sent handshake is
 * dropped after {@code talk.handshake-timeout} (an upgraded connection is not subject to it). Its
 * socket read and write buffers (8 KiB each by default) stay allocated for as long as a WebSocket
 * connection is open: at 512 bytes, 10,000 idle connections hold 150 MB less, and larger messages simply
 * take more reads and writes.
 */
@Component
@ConditionalOnClass(Tomcat.class)
class TomcatLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	static final int HEADROOM = 1000;

	static final String SOCKET_BUFFER_SIZE = "512";

	private final TalkProperties properties;

	TomcatLimits(TalkProperties properties) {
		this.properties = properties;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("maxConnections", String.valueOf(this.properties.maxConnections() + HEADROOM));
			connector.setProperty("socket.appReadBufSize", SOCKET_BUFFER_SIZE);
			connector.setProperty("socket.appWriteBufSize", SOCKET_BUFFER_SIZE);
			// A connection's channel is not kept for the next: its read buffer may have been grown for a
			// large message (TomcatReadBuffers) when the connection closed.
			connector.setProperty("socket.bufferPool", "0");
			connector.setProperty("connectionTimeout",
					String.valueOf(this.properties.handshakeTimeout().toMillis()));
		});
	}

}
