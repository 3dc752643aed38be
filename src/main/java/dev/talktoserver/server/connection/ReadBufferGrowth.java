package dev.talktoserver.server.connection;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.server.send.Transport;

/**
 * Larger read buffers for large messages while they arrive. An idle connection reads into 512-byte
 * buffers, so a 64 KiB message took 128 reads from the socket and came to the handler in 128 parts,
 * each echoed as a frame of its own: most of its cost. Once a part shows that its message (what has come
 * and what is left of its frame), or the one before it, is of {@link #SMALLEST_GROWTH} or more, the rest
 * is read into buffers sized for it, up to {@link #largestPart} per part and {@link #LARGEST_SOCKET_READ}
 * per read. They stay while large messages follow one another, so that each of those arrives in as few
 * parts as it can (one, up to a part's size): growing them for each message and putting them back after
 * it cost a 4 KiB echo a third of its time. The small buffers are put back as the last part of a small
 * message is delivered, or once the client has sent nothing for {@link #QUIET_NANOS} (the heartbeat's
 * sweep).
 * <p>
 * All connections together hold at most an eighth of the memory budget in such buffers, and no more than
 * leaves all they hold under the point where the budget stops shedding load ({@link MemoryBudget} says
 * how much room that leaves): past that, a message arrives in small parts, as before, so that clients
 * that each start a large message and never finish it cannot together take more (6,000 of them at once:
 * bench/bad-clients.py). What a connection holds in them counts in the budget with the rest.
 */
final class ReadBufferGrowth {

	/** Growing costs an allocation: not for messages that a few small parts serve as well. */
	static final int SMALLEST_GROWTH = 4 * 1024;

	static final int LARGEST_SOCKET_READ = 64 * 1024;

	/** A connection quiet for this long gives its grown buffers back: a second, as the heartbeat sweeps. */
	static final long QUIET_NANOS = 1_000_000_000L;

	/** However large the send buffer's limit: larger parts would save nothing more per byte. */
	static final int LARGEST_PART = 64 * 1024;

	/** The largest part, in bytes or characters: see {@link SessionLimits#grownPart()}. */
	private final int largestPart;

	private final long allowance;

	/** What the budget leaves for grown buffers, those held now included. */
	private volatile LongSupplier room = () -> Long.MAX_VALUE;

	private final AtomicLong lent = new AtomicLong();

	ReadBufferGrowth(int largestPart, long allowance) {
		this.largestPart = largestPart;
		this.allowance = allowance;
	}

	/** Where the memory budget says how much room it leaves for grown buffers, those held now included. */
	void limitTo(LongSupplier room) {
		this.room = room;
	}

	static ReadBufferGrowth from(TalkProperties properties) {
		long budget = MemoryBudget.budgetBytes(properties, Runtime.getRuntime().maxMemory());
		return new ReadBufferGrowth(SessionLimits.grownPart(properties), budget / 8);
	}

	/**
	 * On the thread that delivers a connection's messages, as it delivers one part: grows the read
	 * buffers while a large message is under way, puts them back as the last part of a small one arrives.
	 * Takes what {@code held} (what the connection's read buffers hold beyond the small ones) and returns
	 * what they hold afterwards.
	 */
	long onPart(Transport transport, boolean last, long messageBytes, long previousBytes, long held) {
		if (last) {
			// A large message is likely to be followed by another: the next is read as one part.
			return (held > 0 && messageBytes < SMALLEST_GROWTH) ? shrink(transport, held) : held;
		}
		// Clients cut messages into frames of their own sizes (Go's gorilla, of 4 KiB): what has come of
		// the message and what is left of its frame, or the size of the one before, whichever is larger,
		// sizes the buffers for the rest of it and for the messages alike that follow.
		long expected = Math.max(messageBytes + transport.remainingInFrame(), previousBytes);
		if (expected < SMALLEST_GROWTH) {
			return held;
		}
		int part = (int) Math.min(expected, this.largestPart);
		int socket = (int) Math.min(2 * expected, LARGEST_SOCKET_READ);
		// Characters for text: two bytes each.
		long most = 2L * part + socket;
		// Reserved only if it fits: many connections growing at once never take the total past the limit,
		// not even for a moment.
		long limit = Math.min(this.allowance, this.room.getAsLong());
		long lent;
		do {
			lent = this.lent.get();
			if (lent + most > limit) {
				return held;
			}
		}
		while (!this.lent.compareAndSet(lent, lent + most));
		long now = transport.growReadBuffers(part, socket);
		this.lent.addAndGet(-most + (now - held));
		return now;
	}

	private long shrink(Transport transport, long held) {
		long now = transport.shrinkReadBuffers();
		this.lent.addAndGet(now - held);
		return now;
	}

	/** The same for a connection that has gone quiet, while no thread delivers its messages. */
	long onQuiet(Transport transport, long held) {
		long now = transport.shrinkQuietReadBuffers();
		this.lent.addAndGet(now - held);
		return now;
	}

	/** Gives back what a closed connection's read buffers held: they are gone with it. */
	void closed(long held) {
		this.lent.addAndGet(-held);
	}

	long lent() {
		return this.lent.get();
	}

}
