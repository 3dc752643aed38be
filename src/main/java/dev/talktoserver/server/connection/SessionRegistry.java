package dev.talktoserver.server.connection;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.EndpointMeters;
import dev.talktoserver.observability.TalkMetrics;
import dev.talktoserver.server.send.Transport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open connections of every endpoint, by session id. The one place that knows every session: the
 * connection cap, the heartbeat and the shutdown notice all start here.
 */
@Component
public class SessionRegistry {

	private final Map<String, TalkSession> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger compressed = new AtomicInteger();

	private final SessionLimits limits;

	private final int maxConnections;

	private final Transport.Factory transports;

	private final ReadBufferGrowth readBufferGrowth;

	SessionRegistry(TalkProperties properties, ObjectProvider<Transport.Factory> transports) {
		this.limits = SessionLimits.from(properties);
		this.maxConnections = properties.maxConnections();
		this.transports = transports.getIfAvailable(() -> Transport::blocking);
		this.readBufferGrowth = ReadBufferGrowth.from(properties);
	}

	/** Publishes the send queues of {@code endpoint}'s sessions as gauges. */
	void meterSendQueues(String endpoint, TalkMetrics metrics) {
		metrics.sendQueues(endpoint, () -> heldBack(endpoint), () -> queuedBytes(endpoint));
	}

	private volatile boolean shuttingDown;

	/**
	 * Registers a new session. One whose handshake passed the gate just before shutdown began is told
	 * to go at once, like the rest.
	 */
	TalkSession register(WebSocketSession session, EndpointMeters meters) {
		TalkSession talkSession = new TalkSession(session, meters, this.limits, this.transports.of(session),
				this.readBufferGrowth);
		this.sessions.put(talkSession.id(), talkSession);
		if (talkSession.compressed()) {
			this.compressed.incrementAndGet();
		}
		if (this.shuttingDown) {
			talkSession.close(CloseStatuses.SHUTTING_DOWN);
		}
		return talkSession;
	}

	/**
	 * The session a message arrived on. Spring delivers messages only after
	 * {@code afterConnectionEstablished} has returned, so it is registered by then.
	 */
	public TalkSession get(WebSocketSession session) {
		return this.sessions.get(session.getId());
	}

	TalkSession remove(WebSocketSession session) {
		TalkSession removed = this.sessions.remove(session.getId());
		if (removed != null) {
			removed.releaseReadBuffers();
			if (removed.compressed()) {
				this.compressed.decrementAndGet();
			}
		}
		return removed;
	}

	/** What the read buffers grown for large messages hold, all sessions together. */
	long readBuffersGrown() {
		return this.readBufferGrowth.lent();
	}

	/** Where the memory budget says how much room it leaves for read buffers grown for large messages. */
	void limitReadBufferGrowth(LongSupplier room) {
		this.readBufferGrowth.limitTo(room);
	}

	public int size() {
		return this.sessions.size();
	}

	/** How many of the open sessions negotiated permessage-deflate. */
	int compressed() {
		return this.compressed.get();
	}

	public int capacity() {
		return this.maxConnections;
	}

	/**
	 * Whether one more connection fits. Handshakes in progress are not counted, so under a burst the
	 * count can pass the cap by the number of handshakes in flight at that moment.
	 */
	public boolean hasRoom() {
		return this.sessions.size() < this.maxConnections;
	}

	/** From now on, handshakes are refused and new sessions are closed as soon as they open. */
	void beginShutdown() {
		this.shuttingDown = true;
	}

	/** Takes new connections again after {@link #beginShutdown()}, when a stopped server restarts. */
	void reopen() {
		this.shuttingDown = false;
	}

	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

	/** How many open sessions the server has stopped reading from until they read more. */
	int heldBack() {
		return heldBack(null);
	}

	/** Bytes waiting to be sent to all open sessions. */
	long queuedBytes() {
		return queuedBytes(null);
	}

	/** Of {@code endpoint}'s sessions, or of all when null. */
	private int heldBack(String endpoint) {
		int heldBack = 0;
		for (TalkSession session : this.sessions.values()) {
			if (session.readingPaused() && (endpoint == null || endpoint.equals(session.endpoint()))) {
				heldBack++;
			}
		}
		return heldBack;
	}

	private long queuedBytes(String endpoint) {
		long bytes = 0;
		for (TalkSession session : this.sessions.values()) {
			if (endpoint == null || endpoint.equals(session.endpoint())) {
				bytes += session.queuedBytes();
			}
		}
		return bytes;
	}

	/** A live view: sessions opened or closed meanwhile may or may not be seen. */
	Collection<TalkSession> all() {
		return this.sessions.values();
	}

}
