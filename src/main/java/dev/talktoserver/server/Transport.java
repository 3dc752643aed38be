package dev.talktoserver.server;

import jakarta.websocket.SendHandler;

import org.springframework.web.socket.WebSocketSession;

/**
 * What the send path needs of the container under a connection: a frame written without waiting for the
 * client, and reading from the client paused and resumed. Tomcat's is {@link TomcatTransport}; another
 * container gets {@link BlockingTransport}.
 */
interface Transport {

	/**
	 * Starts writing {@code frame} and returns; {@code done} hears of the result, on this thread or
	 * another. One data frame at a time: the next is given only after {@code done} has heard.
	 */
	void send(Frame frame, SendHandler done);

	/** Reads nothing more from the client (after the message part being delivered) until resumed. */
	void pauseReading();

	void resumeReading();

	/** Drops the connection without a close frame: for a client that takes nothing more. */
	void abort();

	/** Makes the transport of each new session. */
	interface Factory {

		Transport of(WebSocketSession session);

	}

}
