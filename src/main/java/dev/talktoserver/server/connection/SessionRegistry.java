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

	private final ClientShares shares;

	/** Per client, messages per second; null for no limit. */
	private final ClientMessageRates clientRates;

	SessionRegistry(TalkProperties properties, ObjectProvider<Transport.Factory> transports) {
		this.limits = SessionLimits.from(properties);
		this.maxConnections = properties.maxConnections();
		this.transports = transports.getIfAvailable(() -> Transport::blocking);
		this.readBufferGrowth = ReadBufferGrowth.from(properties);
		this.shares = new ClientShares(properties.maxConnectionsPerClient());
		this.clientRates = ClientMessageRates.perSecond(properties.maxMessagesPerSecondPerClient());
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
				this.readBufferGrowth, (String) session.getAttributes().get(CLIENT_ATTRIBUTE));
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

	/**
	 * Whether the client of {@code session} may send one more message now
	 * ({@code talk.max-messages-per-second-per-client}); if so, it is counted.
	 */
	boolean withinClientRate(TalkSession session) {
		return this.clientRates == null || session.client() == null
				|| this.clientRates.tryAcquire(session.client(), System.nanoTime());
	}

	/** The per-client message rate, 0 for none. */
	int clientRateLimit() {
		return (this.clientRates != null) ? this.clientRates.limit() : 0;
	}

	TalkSession remove(WebSocketSession session) {
		TalkSession removed = this.sessions.remove(session.getId());
		if (removed != null) {
			removed.releaseReadBuffers();
			if (removed.client() != null) {
				this.shares.giveBack(removed.client());
				if (this.clientRates != null && this.shares.heldBy(removed.client()) == 0) {
					this.clientRates.forget(removed.client());
				}
			}
			if (removed.compressed()) {
				this.compressed.decrementAndGet();
			}
		}
		return removed;
	}

	/** The handshake attribute that names the client whose share a new session holds. */
	public static final String CLIENT_ATTRIBUTE = SessionRegistry.class.getName() + ".client";

	/**
	 * Takes one of {@code client}'s share of connections for a handshake; false when it holds them all.
	 * Goes with the session that the handshake opens (named by {@link #CLIENT_ATTRIBUTE}), or back with
	 * {@link #giveBackShare} when the handshake fails after all.
	 */
	public boolean takeShare(String client) {
		return this.shares.take(client);
	}

	/** Gives back the share a failed handshake took. */
	public void giveBackShare(String client) {
		this.shares.giveBack(client);
	}

	/** Whether this is the first time {@code client} is refused since it last held less than its share. */
	public boolean firstShareRefusal(String client) {
		return this.shares.firstRefusal(client);
	}

	/** How many connections one client may hold. */
	public int share() {
		return this.shares.share();
	}

	/** How many connections {@code client} holds, handshakes under way included. */
	int heldBy(String client) {
		return this.shares.heldBy(client);
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
			if (session.heldBack() && (endpoint == null || endpoint.equals(session.endpoint()))) {
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
