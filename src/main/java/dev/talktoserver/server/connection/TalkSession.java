package dev.talktoserver.server.connection;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.talktoserver.access.TokenCheck;
import dev.talktoserver.observability.EndpointMeters;
import dev.talktoserver.observability.LogSafeText;
import dev.talktoserver.server.send.Frame;
import dev.talktoserver.server.send.Outbox;
import dev.talktoserver.server.send.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open connection as the server keeps it: its send path ({@link Outbox}: many threads may send at
 * once, none waits for the client), the names the logs use for it (worked out once, not for every
 * message), when it last sent anything, and what is kept of the message it is in the middle of
 * receiving, if any.
 */
public final class TalkSession {

	private static final Logger logger = LoggerFactory.getLogger(TalkSession.class);

	/** Characters of a principal's name that log lines show. */
	private static final int MAX_LOGGED_NAME = 100;

	private static final Duration CENTURY = Duration.ofDays(36525);

	private final WebSocketSession session;

	private final String id;

	private final String remoteAddress;

	/** The name of the principal the handshake's JWT gave the session; null without one. */
	private final String principal;

	/** The address, and the principal where there is one: how log lines name the connection. */
	private final String who;

	/** Whether the session's JWT expires: it was opened with one that has an expiry. */
	private final boolean tokenExpires;

	/** When the session's JWT expires, on {@link System#nanoTime()}'s clock. */
	private final long tokenExpiresNanos;

	/** The client whose share of connections this one is, as the handshake named it; null if none. */
	private final String client;

	private final EndpointMeters meters;

	private final Outbox outbox;

	private final MessageRateLimiter rateLimiter;

	private final Transport transport;

	private final ReadBufferGrowth readBufferGrowth;

	/**
	 * What the container's read buffers hold beyond an idle connection's while a large message arrives;
	 * {@link #CLOSED} once the session is gone. Set by the delivering thread, given back by the closing one.
	 */
	private final AtomicLong readBufferBytes = new AtomicLong();

	private static final long CLOSED = -1;

	private final long largestFrame;

	private final long largestGrownFrame;

	/**
	 * Whether the parts now arriving may be of a large message's size. On the delivering thread, or under
	 * the socket's lock.
	 */
	private boolean largeParts;

	/** Whether it negotiated permessage-deflate, the one extension the server may accept. */
	private final boolean compressed;

	private volatile long lastReceivedNanos = System.nanoTime();

	private volatile boolean closing;

	private volatile boolean broken;

	/** Written and read by the heartbeat's one thread only. */
	private long lastPingNanos = System.nanoTime();

	// The message that is arriving in parts, if any. Only the thread that delivers this session's
	// messages touches these, and it delivers one at a time.

	private LoggedMessage partialMessage;

	private long messageBytes;

	/** The size of the last message that came in: the next is likely to be alike. */
	private long previousMessageBytes;

	TalkSession(WebSocketSession session, EndpointMeters meters, SessionLimits limits, Transport transport,
			ReadBufferGrowth readBufferGrowth, String client) {
		this.session = session;
		this.client = client;
		this.transport = transport;
		this.readBufferGrowth = readBufferGrowth;
		this.largestFrame = limits.largestFrame();
		this.largestGrownFrame = limits.largestGrownFrame();
		this.id = session.getId();
		this.remoteAddress = describe(session.getRemoteAddress());
		this.principal = (session.getPrincipal() != null) ? session.getPrincipal().getName() : null;
		// Quoted and escaped: the name is the identity provider's, and may hold anything.
		this.who = (this.principal != null)
				? this.remoteAddress + " as " + LogSafeText.quote(this.principal, MAX_LOGGED_NAME) : this.remoteAddress;
		Object expiresAt = session.getAttributes().get(TokenCheck.TOKEN_EXPIRES_ATTRIBUTE);
		this.tokenExpires = expiresAt instanceof Instant;
		this.tokenExpiresNanos = this.tokenExpires ? nanosFromNow((Instant) expiresAt) : 0;
		this.meters = meters;
		this.outbox = new Outbox(transport, session, meters, limits.sendBufferSizeLimit(), limits.largestFrame(),
				this::sendFailed);
		this.rateLimiter = MessageRateLimiter.perSecond(limits.maxMessagesPerSecond());
		this.compressed = !session.getExtensions().isEmpty();
	}

	public String id() {
		return this.id;
	}

	public String remoteAddress() {
		return this.remoteAddress;
	}

	/** The principal's name, where the handshake's JWT gave one; else null. */
	public String principal() {
		return this.principal;
	}

	/** The address, and the principal where there is one, as log lines show the connection. */
	public String who() {
		return this.who;
	}

	/** Whether the JWT the connection was opened with has expired by {@code now} ({@link System#nanoTime()}). */
	boolean tokenExpired(long now) {
		return this.tokenExpires && now - this.tokenExpiresNanos >= 0;
	}

	/** {@code instant} on {@link System#nanoTime()}'s clock, which the heartbeat reads. */
	private static long nanosFromNow(Instant instant) {
		Duration until = Duration.between(Instant.now(), instant);
		// Nanoseconds overflow after 292 years; a century is as good as never.
		return System.nanoTime() + ((until.compareTo(CENTURY) > 0) ? CENTURY : until).toNanos();
	}

	String client() {
		return this.client;
	}

	public String endpoint() {
		return this.meters.endpoint();
	}

	boolean compressed() {
		return this.compressed;
	}

	boolean isOpen() {
		return !this.closing && this.session.isOpen();
	}

	/** Sends a whole text message, given as UTF-8, from any thread; returns at once. */
	public void sendText(byte[] utf8) {
		this.outbox.send(Frame.text(utf8, true));
	}

	/**
	 * Sends back, as it came, a message or a part of one: parts go out in order as the parts of one
	 * message. The payload is copied, as the container reuses its buffer once the handler returns.
	 */
	public void echo(WebSocketMessage<?> part) {
		if (part instanceof TextMessage text) {
			this.outbox.send(Frame.text(text.getPayload().getBytes(StandardCharsets.UTF_8), text.isLast()));
		}
		else if (part instanceof BinaryMessage binary) {
			ByteBuffer payload = binary.getPayload();
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			this.outbox.send(Frame.binary(copy, binary.isLast()));
		}
	}

	/**
	 * Sizes the read buffers for what is still to come of the message whose part is being delivered:
	 * larger while large messages arrive, small again with the last part of a small one. On the
	 * delivering thread.
	 */
	void partArriving(boolean last, long messageBytes) {
		long held = this.readBufferBytes.get();
		if (last) {
			this.previousMessageBytes = messageBytes;
		}
		if (held == CLOSED || (held == 0 && last)) {
			return;
		}
		long now = this.readBufferGrowth.onPart(this.transport, last, messageBytes, this.previousMessageBytes,
				held);
		readBuffersNowHold(held, now);
	}

	/**
	 * Gives the grown read buffers back once the client has sent nothing for a while: from the heartbeat,
	 * which never waits for the thread that delivers the messages (it then tries again at its next sweep).
	 */
	void shrinkReadBuffersIfQuiet(long now) {
		if (this.readBufferBytes.get() > 0 && now - this.lastReceivedNanos >= ReadBufferGrowth.QUIET_NANOS) {
			this.transport.ifNotReading(() -> {
				long held = this.readBufferBytes.get();
				if (held > 0) {
					readBuffersNowHold(held, this.readBufferGrowth.onQuiet(this.transport, held));
				}
			});
		}
	}

	/** While no other thread delivers the messages: the delivering thread, or under the socket's lock. */
	private void readBuffersNowHold(long held, long now) {
		if (now != held && !this.readBufferBytes.compareAndSet(held, now)) {
			// Closed meanwhile, and what it held then given back: the rest too.
			this.readBufferGrowth.closed(now);
		}
		// Parts of a large message's size may come for as long as the buffers are grown.
		boolean large = now > 0;
		if (large != this.largeParts) {
			this.largeParts = large;
			this.outbox.expectFramesUpTo(large ? this.largestGrownFrame : this.largestFrame);
		}
	}

	/** Gives back what the read buffers held, once the session is closed: they go with the connection. */
	void releaseReadBuffers() {
		long held = this.readBufferBytes.getAndSet(CLOSED);
		if (held > 0) {
			this.readBufferGrowth.closed(held);
		}
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
	void pingIfQuiet(long now, long intervalNanos) {
		if (now - this.lastReceivedNanos >= intervalNanos && now - this.lastPingNanos >= intervalNanos) {
			this.lastPingNanos = now;
			this.outbox.send(Frame.ping());
		}
	}

	/**
	 * Whether the server has stopped reading from this client until it reads more of what it is sent:
	 * meanwhile its silence says nothing about whether it is there.
	 */
	boolean readingPaused() {
		return this.outbox.paused();
	}

	/** Whether the server has stopped reading from this client until it reads more: backpressure. */
	boolean heldBack() {
		return this.outbox.heldBack();
	}

	/** Ends the reading thread's turn on this connection if it has had it long enough. */
	void yieldIfTurnIsOver() {
		this.outbox.yieldIfTurnIsOver();
	}

	/** Bytes waiting to be sent to this client, the frame under way included. */
	long queuedBytes() {
		return this.outbox.bytes();
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
		return this.outbox.bytes() + ((partial != null) ? partial.heldBytes() : 0)
				+ Math.max(0, this.readBufferBytes.get());
	}

	/** What is kept of the message arriving in parts, allocated with its first part. */
	public LoggedMessage partialMessage(int maxLoggedChars) {
		if (this.partialMessage == null) {
			this.partialMessage = new LoggedMessage(maxLoggedChars);
		}
		return this.partialMessage;
	}

	/** Hands over the message arriving in parts, if any, and forgets it: an idle connection holds none. */
	public LoggedMessage takePartialMessage() {
		LoggedMessage message = this.partialMessage;
		this.partialMessage = null;
		return message;
	}

	/**
	 * Closes the connection with {@code status}, once, and logs why. The close frame follows the frame
	 * under way, if any; those waiting behind it are dropped.
	 */
	public void close(CloseStatus status) {
		if (markClosing()) {
			logger.info("session {} ({}) on {}: closing with {} ({})", this.id, this.who, endpoint(),
					status.getCode(), status.getReason());
			this.outbox.close(status);
		}
	}

	/**
	 * Drops the connection without waiting for the frame under way: for a client that has not taken it
	 * since it was told to close.
	 */
	void abort() {
		markClosing();
		this.outbox.abort(CloseStatus.NO_CLOSE_FRAME);
	}

	/**
	 * A frame could not be sent. Not taken within the send time limit: the client does not read what it
	 * is sent; the connection is dropped and closed with 1008, which it would not read either. Otherwise
	 * the connection broke, or the container is closing it (a protocol error, the client's close): that
	 * close comes next, and the heartbeat closes what is still open at its next sweep.
	 */
	private void sendFailed(Throwable failure) {
		if (failure instanceof SocketTimeoutException || failure instanceof InterruptedByTimeoutException) {
			if (markClosing()) {
				CloseStatus status = CloseStatuses.SEND_FAILED;
				logger.info("session {} ({}) on {}: closing with {} ({}): nothing taken for the send time limit",
						this.id, this.who, endpoint(), status.getCode(), status.getReason());
				this.outbox.abort(status);
			}
		}
		else {
			logger.debug("session {}: send failed: {}", this.id, failure.toString());
			this.broken = true;
		}
	}

	/** Whether a send failed because the connection broke: closed, quietly, if still open at the next sweep. */
	boolean broken() {
		return this.broken;
	}

	/** Closes a broken connection without a word: there is no one left to tell. */
	void closeBroken() {
		if (markClosing()) {
			this.outbox.abort(CloseStatus.NO_CLOSE_FRAME);
		}
	}

	private synchronized boolean markClosing() {
		if (this.closing) {
			return false;
		}
		this.closing = true;
		return true;
	}

	private static String describe(InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return host.contains(":") ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
	}

}
