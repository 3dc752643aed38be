package dev.talktoserver.server.send;

import jakarta.websocket.SendHandler;

import org.springframework.web.socket.WebSocketSession;

/**
 * What the send path needs of the container under a connection: a frame written without waiting for the
 * client, and reading from the client paused and resumed. Tomcat's is {@code TomcatTransport}; another
 * container gets {@link BlockingTransport}.
 */
public interface Transport {

	/**
	 * Starts writing {@code frame} and returns; {@code done} hears of the result, on this thread or
	 * another. One data frame at a time: the next is given only after {@code done} has heard.
	 */
	void send(Frame frame, SendHandler done);

	/**
	 * Reads nothing more from the client (after the message part being delivered) until resumed. Called
	 * by the thread that delivers the client's messages.
	 */
	void pauseReading();

	/** Reads from the client again; only inside {@link #whileNotReading}. */
	void resumeReading();

	/**
	 * Runs {@code task} while no other thread delivers the client's messages: a thread that is on its way
	 * out after a pause has left by then, so that what the task sees of the pause is what the container
	 * does. On the delivering thread itself, at once.
	 */
	void whileNotReading(Runnable task);

	/**
	 * Runs {@code task} if no thread delivers the client's messages now, as {@link #whileNotReading} does,
	 * and returns whether it ran: from a thread that must not wait for the delivering one.
	 */
	default boolean ifNotReading(Runnable task) {
		return false;
	}

	/** Drops the connection without a close frame: for a client that takes nothing more. */
	void abort();

	/**
	 * Whether the thread delivering this connection's messages has done so for long enough: other
	 * connections and requests are waiting for a thread.
	 */
	boolean turnIsOver();

	/**
	 * Runs {@code task} on another thread, once the work that waits for a thread now has had its turn;
	 * never on the calling thread.
	 */
	void later(Runnable task);

	/**
	 * What is left to read of the frame being delivered, as its header declared it; 0 where the container
	 * does not say. On the delivering thread.
	 */
	default long remainingInFrame() {
		return 0;
	}

	/**
	 * Makes the buffers that the rest of the message being delivered is read into larger: parts of up to
	 * {@code partUnits} (bytes, or characters for text), read from the socket up to {@code socketBytes} at
	 * a time. On the delivering thread, while it delivers a part. Returns what the read buffers then hold
	 * beyond an idle connection's; 0 where they cannot grow.
	 */
	default long growReadBuffers(int partUnits, int socketBytes) {
		return 0;
	}

	/**
	 * Puts an idle connection's read buffers back, as far as it can: the socket's stays larger while it
	 * holds what the client sent next. On the delivering thread. Returns what they still hold beyond an
	 * idle connection's.
	 */
	default long shrinkReadBuffers() {
		return 0;
	}

	/**
	 * The same for a connection that has gone quiet, from {@link #ifNotReading}: a buffer that holds part
	 * of a message not yet delivered stays, and with it the rest.
	 */
	default long shrinkQuietReadBuffers() {
		return 0;
	}

	/** The transport of a container that has no other: blocking sends, no pausing. */
	static Transport blocking(WebSocketSession session) {
		return new BlockingTransport(session);
	}

	/** Makes the transport of each new session. */
	interface Factory {

		Transport of(WebSocketSession session);

	}

}
