package dev.talktoserver.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.talktoserver.observability.EndpointMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * One open connection as the server keeps it: a send path that many threads may use at once (Spring's
 * own sessions allow one sender at a time) and that gives up on a client that does not read, the names
 * the logs use for it (worked out once, not for every message), when it last sent anything, and what
 * is kept of the message it is in the middle of receiving, if any.
 */
final class TalkSession {

	private static final Logger logger = LoggerFactory.getLogger(TalkSession.class);

	/** Shared by every session: its payload is empty, so sending it consumes nothing. */
	private static final PingMessage HEARTBEAT = new PingMessage(ByteBuffer.wrap(new byte[0]));

	private final WebSocketSession session;

	private final String id;

	private final String remoteAddress;

	private final EndpointMeters meters;

	private final ConcurrentWebSocketSessionDecorator sender;

	private final MessageRateLimiter rateLimiter;

	/** Whether it negotiated permessage-deflate, the one extension the server may accept. */
	private final boolean compressed;

	private volatile long lastReceivedNanos = System.nanoTime();

	private volatile boolean closing;

	/** Written and read by the heartbeat's one thread only. */
	private long lastPingNanos = System.nanoTime();

	// The message that is arriving in parts, if any. Only the thread that delivers this session's
	// messages touches these, and it delivers one at a time.

	private LoggedMessage partialMessage;

	private long messageBytes;

	TalkSession(WebSocketSession session, EndpointMeters meters, SessionLimits limits) {
		this.session = session;
		this.id = session.getId();
		this.remoteAddress = describe(session.getRemoteAddress());
		this.meters = meters;
		this.sender = new ConcurrentWebSocketSessionDecorator(session, limits.sendTimeLimitMillis(),
				limits.sendBufferSizeLimit());
		this.rateLimiter = MessageRateLimiter.perSecond(limits.maxMessagesPerSecond());
		this.compressed = !session.getExtensions().isEmpty();
	}

	String id() {
		return this.id;
	}

	String remoteAddress() {
		return this.remoteAddress;
	}

	String endpoint() {
		return this.meters.endpoint();
	}

	boolean compressed() {
		return this.compressed;
	}

	boolean isOpen() {
		return !this.closing && this.session.isOpen();
	}

	/**
	 * Sends from any thread. When another send is in progress the message waits in a buffer; a buffer
	 * over its limit, or a send that has taken too long, raises
	 * {@link org.springframework.web.socket.handler.SessionLimitExceededException}.
	 */
	void send(WebSocketMessage<?> message) throws IOException {
		this.sender.sendMessage(message);
		this.meters.sent();
	}

	void markReceived() {
		this.lastReceivedNanos = System.nanoTime();
	}

	long nanosSinceLastReceived(long now) {
		return now - this.lastReceivedNanos;
	}

	/**
	 * Sends a ping when nothing has arrived for {@code intervalNanos} and no ping has gone out for as
	 * long: a connection that is talking needs none.
	 */
	void pingIfQuiet(long now, long intervalNanos) throws IOException {
		if (now - this.lastReceivedNanos >= intervalNanos && now - this.lastPingNanos >= intervalNanos) {
			this.lastPingNanos = now;
			this.sender.sendMessage(HEARTBEAT);
		}
	}

	/** Counts a whole message against the rate limit; false when it goes over. */
	boolean withinRateLimit() {
		return this.rateLimiter == null || this.rateLimiter.tryAcquire(System.nanoTime());
	}

	/**
	 * Adds one part of a message to the running size of the message and returns the size so far. The
	 * last part resets the count for the next message.
	 */
	long addToMessage(int partBytes, boolean last) {
		long total = this.messageBytes + partBytes;
		this.messageBytes = last ? 0 : total;
		return total;
	}

	/**
	 * Bytes this connection holds beyond what every open connection does: replies waiting to be sent and
	 * what is kept of a message arriving in parts. Read from other threads, so approximate.
	 */
	long heldBytes() {
		LoggedMessage partial = this.partialMessage;
		return this.sender.getBufferSize() + ((partial != null) ? partial.heldBytes() : 0);
	}

	/** What is kept of the message arriving in parts, allocated with its first part. */
	LoggedMessage partialMessage(int maxLoggedChars) {
		if (this.partialMessage == null) {
			this.partialMessage = new LoggedMessage(maxLoggedChars);
		}
		return this.partialMessage;
	}

	/** Hands over the message arriving in parts, if any, and forgets it: an idle connection holds none. */
	LoggedMessage takePartialMessage() {
		LoggedMessage message = this.partialMessage;
		this.partialMessage = null;
		return message;
	}

	/**
	 * Closes the connection with {@code status}, once, and logs why. Closes the session itself rather
	 * than the send buffer in front of it, which would turn every code into its own 4500.
	 */
	void close(CloseStatus status) {
		synchronized (this) {
			if (this.closing) {
				return;
			}
			this.closing = true;
		}
		logger.info("session {} ({}) on {}: closing with {} ({})", this.id, this.remoteAddress, endpoint(),
				status.getCode(), status.getReason());
		try {
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			// The connection broke on the way out; it is closed either way.
			logger.debug("session {}: close frame not sent: {}", this.id, ex.toString());
		}
	}

	private static String describe(InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return host.contains(":") ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
	}

}
