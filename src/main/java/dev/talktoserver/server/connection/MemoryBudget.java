package dev.talktoserver.server.connection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * One limit on what all connections hold together, so that many clients, each within its own limits,
 * cannot together run the JVM out of memory. It counts what every open connection holds
 * ({@link #CONNECTION_BYTES}), the compression state of those that negotiated permessage-deflate
 * ({@link #COMPRESSION_BYTES}), replies waiting to be sent, what is kept of messages arriving in parts,
 * and the read buffers grown for large messages ({@link ReadBufferGrowth}, which never take the
 * connections past the point where shedding ends). At the budget, new handshakes get 503 with
 * {@code Retry-After}, and the connections holding the most beyond an idle connection's share are closed
 * with 1013, until a tenth of the budget is free again.
 * Each such episode is logged once and counted ({@code talk.memory.budget.reached}).
 * <p>
 * The budget is {@code talk.memory-budget}, by default half the JVM's maximum heap: the other half is the
 * application's own and the garbage collector's room to work. Public for the deployment checks, which size
 * the Kubernetes pod with it.
 */
@Component
public class MemoryBudget {

	private static final Logger logger = LoggerFactory.getLogger(MemoryBudget.class);

	/**
	 * What an idle connection holds: Tomcat's and Spring's session objects, the handshake's headers, and
	 * the 512-byte buffers. Measured as server RSS per idle connection with 5,000 to 19,000 held: 15.6 to
	 * 21.4 KB (docs/performance.md); the higher one is counted.
	 */
	static final long CONNECTION_BYTES = 22 * 1024;

	/**
	 * What permessage-deflate adds to a connection for as long as it is open: the zlib deflater and
	 * inflater Tomcat gives each one, in native memory. Measured: 146.7 KB per idle compressed
	 * connection against 15.6 KB uncompressed, 5,000 held (docs/protocol.md, Compression).
	 */
	static final long COMPRESSION_BYTES = 132 * 1024;

	/** Handshakes are taken again, and closing stops, once this much of the budget is held or less. */
	private static final double RESUME_AT = 0.9;

	private final SessionRegistry sessions;

	private final TalkMetrics metrics;

	private final long budget;

	private final boolean compressionEnabled;

	/** What the sessions held beyond their fixed costs at the last review. */
	private volatile long variable;

	/** Whether an episode is under way: from reaching the budget to being back under {@link #RESUME_AT}. */
	private volatile boolean reached;

	MemoryBudget(SessionRegistry sessions, TalkMetrics metrics, TalkProperties properties) {
		this.sessions = sessions;
		this.metrics = metrics;
		this.budget = budgetBytes(properties, Runtime.getRuntime().maxMemory());
		this.compressionEnabled = properties.compression().enabled();
		metrics.memoryBudget(this.budget, this::held);
		metrics.readBuffersGrown(sessions::readBuffersGrown);
		sessions.limitReadBufferGrowth(this::roomForReadBuffers);
		warnIfTheCapDoesNotFit(properties);
	}

	/** {@code talk.memory-budget}, or half of {@code maxHeapBytes} when it is not set. */
	public static long budgetBytes(TalkProperties properties, long maxHeapBytes) {
		DataSize configured = properties.memoryBudget();
		return (configured != null) ? configured.toBytes() : maxHeapBytes / 2;
	}

	/**
	 * The most one connection can come to hold within its own limits: an idle connection's share, the
	 * start of a message arriving in parts that {@code /talk-to-server} keeps for its log, a full send
	 * buffer, and the compression state when compression is on. ({@code /echo} passes every part on as
	 * it arrives and keeps none.)
	 */
	public static long worstCasePerConnection(TalkProperties properties) {
		long partialMessage = 2L * (properties.log().maxMessageChars() + 1);
		long compression = properties.compression().enabled() ? COMPRESSION_BYTES : 0;
		return CONNECTION_BYTES + partialMessage + properties.sendBufferSizeLimit().toBytes() + compression;
	}

	long budget() {
		return this.budget;
	}

	/** What the open connections hold now: fixed costs exactly, the rest as of the last review. */
	long held() {
		return this.sessions.size() * CONNECTION_BYTES + this.sessions.compressed() * COMPRESSION_BYTES
				+ this.variable;
	}

	/**
	 * What read buffers grown for large messages may hold together, those held now included: they are a
	 * speed-up, never a reason to shed load, so all that the connections hold stays below the point where
	 * shedding ends. Asked before each growth: the connections' fixed costs as they are now, the rest as
	 * of the last review.
	 */
	private long roomForReadBuffers() {
		long grown = this.sessions.readBuffersGrown();
		return (long) (this.budget * RESUME_AT) - (held() - Math.min(grown, this.variable));
	}

	/**
	 * Whether one more connection fits: one that will negotiate compression, if it offers it and
	 * compression is on, costs that too. Not while an episode is under way.
	 */
	public boolean hasRoomFor(boolean offersCompression) {
		long cost = CONNECTION_BYTES + ((offersCompression && this.compressionEnabled) ? COMPRESSION_BYTES : 0);
		if (!this.reached && held() + cost <= this.budget) {
			return true;
		}
		beginEpisode();
		return false;
	}

	/**
	 * Counts what the sessions hold and acts on it: at or over the budget, closes the connections that
	 * hold the most beyond an idle connection's share until {@link #RESUME_AT} of the budget is reached;
	 * back under that, ends the episode. Runs every second or so, on the heartbeat's thread.
	 */
	void review() {
		long sum = 0;
		for (TalkSession session : this.sessions.all()) {
			sum += session.heldBytes();
		}
		this.variable = sum;
		long held = held();
		if (held >= this.budget) {
			beginEpisode();
			shed(held);
		}
		else if (this.reached && held <= this.budget * RESUME_AT) {
			this.reached = false;
			logger.info("memory budget: the connections hold {} of {} again; taking new handshakes", kb(held),
					kb(this.budget));
		}
	}

	private void beginEpisode() {
		if (this.reached) {
			return;
		}
		synchronized (this) {
			if (this.reached) {
				return;
			}
			this.reached = true;
		}
		this.metrics.memoryBudgetReached();
		logger.warn("memory budget reached: {} connections hold {} of {}; new handshakes get 503, and the "
				+ "connections holding the most are closed with 1013 until {}% of it is free",
				this.sessions.size(), kb(held()), kb(this.budget), Math.round((1 - RESUME_AT) * 100));
	}

	/** Closes the heaviest sessions, those holding more than an idle connection, until enough is free. */
	private void shed(long held) {
		List<TalkSession> heavy = new ArrayList<>();
		for (TalkSession session : this.sessions.all()) {
			if (!session.isOpen()) {
				// Closed already, and soon gone: what it holds is as good as free.
				held -= CONNECTION_BYTES + extra(session);
			}
			else if (extra(session) > 0) {
				heavy.add(session);
			}
		}
		heavy.sort(Comparator.comparingLong(MemoryBudget::extra).reversed());
		long target = (long) (this.budget * RESUME_AT);
		for (TalkSession session : heavy) {
			if (held <= target) {
				break;
			}
			held -= CONNECTION_BYTES + extra(session);
			session.close(CloseStatuses.LOW_ON_MEMORY);
		}
	}

	/** What this session holds beyond an idle connection's share. */
	private static long extra(TalkSession session) {
		return session.heldBytes() + (session.compressed() ? COMPRESSION_BYTES : 0);
	}

	private void warnIfTheCapDoesNotFit(TalkProperties properties) {
		long worstCase = worstCasePerConnection(properties);
		long all = worstCase * properties.maxConnections();
		if (all > this.budget) {
			boolean configured = properties.memoryBudget() != null;
			logger.warn("talk.max-connections ({}) times the most one connection can hold ({}) is {}, more than "
					+ "the memory budget of {} ({}): past it, handshakes get 503 and the connections holding the "
					+ "most are closed with 1013. {}, or lower talk.max-connections to {}",
					properties.maxConnections(), kb(worstCase), kb(all), kb(this.budget),
					configured ? "talk.memory-budget" : "half the maximum heap",
					configured ? "Raise talk.memory-budget" : "Give the JVM more heap (-Xmx, or a larger container)",
					this.budget / worstCase);
		}
	}

	private static String kb(long bytes) {
		return (bytes >= 10 * 1024 * 1024) ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
	}

}
