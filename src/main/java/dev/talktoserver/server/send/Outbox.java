package dev.talktoserver.server.send;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;

import dev.talktoserver.observability.EndpointMeters;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * What one connection has to send, in order: one frame under way at a time, the rest waiting behind it,
 * so that no thread waits for the client to read. The thread that queues a frame returns at once; the
 * frame after it is started by the completion of the one before, usually on another of the container's
 * threads. Parts of one message that have waited together go out as one frame.
 * <p>
 * Backpressure: once the next frame could take what waits (the one under way included) past
 * {@code limit} bytes, nothing more is read from the client, so a client that sends faster than it reads
 * is slowed to the pace at which it reads, and no more than {@code limit} ever waits (but for pings, and
 * for one part of a large message: {@link #expectFramesUpTo}); reading resumes once half of it is left. A frame that the client does not take within
 * {@code talk.send-time-limit} fails (the container's send timeout, {@code SessionTuning}) and the owner
 * hears of it. A close waits for the frame under way, not for those behind it, which are dropped.
 */
public final class Outbox {

	private static final Logger logger = LoggerFactory.getLogger(Outbox.class);

	/** What a waiting frame costs beyond its payload: the frame, its buffer and its place in the queue. */
	public static final int FRAME_OVERHEAD = 64;

	private final Transport transport;

	private final WebSocketSession session;

	private final EndpointMeters meters;

	private final Consumer<Throwable> sendFailed;

	private final long limit;

	/**
	 * Above this, reading pauses: the limit, less the largest frame that may still come. Set by the
	 * thread delivering the client's messages, read under the lock.
	 */
	private volatile long highWater;

	private volatile long lowWater;

	// Guarded by this. The thread that sets writing owns the frame under way, until its completion.

	/** Frames waiting behind the one under way; made when the first has to wait. */
	private ArrayDeque<Frame> waiting;

	/** Bytes waiting and under way, as the memory budget counts them; read unguarded by the budget. */
	private volatile long bytes;

	private boolean writing;

	/** Whether reading from the client is paused; read unguarded by the heartbeat and the gauges. */
	private volatile boolean paused;

	/**
	 * Whether the pause is the end of a turn ({@link #yieldIfTurnIsOver()}) rather than backpressure; read
	 * unguarded by the gauges.
	 */
	private volatile boolean yielding;

	/** Set when a close has been asked for: nothing more is queued. */
	private CloseStatus closing;

	/** Whether the close has been handed to the container. */
	private boolean closed;

	/** Whether the connection was dropped: its close follows the drop, never the failure it causes. */
	private boolean aborted;

	public Outbox(Transport transport, WebSocketSession session, EndpointMeters meters, long limit,
			long largestFrame, Consumer<Throwable> sendFailed) {
		this.transport = transport;
		this.session = session;
		this.meters = meters;
		this.limit = limit;
		expectFramesUpTo(largestFrame);
		this.sendFailed = sendFailed;
	}

	/**
	 * The largest data frame that may come next, from the thread that delivers the client's messages:
	 * larger while the parts of a large message arrive in larger buffers. Past the limit, reading pauses
	 * as soon as anything waits behind the frame under way, and resumes once nothing does: one part may
	 * then wait beyond the limit.
	 */
	public void expectFramesUpTo(long largestFrame) {
		long high = Math.max(0, this.limit - largestFrame);
		this.highWater = high;
		this.lowWater = Math.min(this.limit / 2, high);
	}

	/** Sends {@code frame} after those queued before it; returns at once. Dropped once closing. */
	public void send(Frame frame) {
		Write write;
		synchronized (this) {
			if (this.closing != null) {
				return;
			}
			int cost = frame.size() + FRAME_OVERHEAD;
			this.bytes += cost;
			if (this.writing) {
				if (this.waiting == null) {
					this.waiting = new ArrayDeque<>();
				}
				this.waiting.add(frame);
				if (!this.paused && this.bytes > this.highWater && !frame.isControl()) {
					// Only the thread delivering the client's messages sends data frames: it pauses itself.
					this.paused = true;
					this.transport.pauseReading();
					this.meters.readingPaused();
					if (logger.isDebugEnabled()) {
						logger.debug("session {}: {} bytes wait to be sent; reading paused", this.session.getId(),
								this.bytes);
					}
				}
				return;
			}
			this.writing = true;
			write = new Write(frame, cost);
		}
		writeFrom(write);
	}

	/**
	 * Writes {@code write} and, for as long as writes complete before the transport returns, the frames
	 * after it; the completion of one that does not goes on from there. Called by the owner of the write.
	 */
	private void writeFrom(Write write) {
		Write next = write;
		while (next != null) {
			try {
				this.transport.send(next.frame, next);
			}
			catch (RuntimeException ex) {
				// Tomcat's writer refuses frames once the connection has closed under it.
				next.onResult(new SendResult((Session) null, ex));
			}
			synchronized (this) {
				if (!next.done) {
					next.returned = true;
					return;
				}
			}
			next = next.following;
		}
	}

	private void completed(Write write, Throwable failure) {
		Write next = null;
		CloseStatus closeNow = null;
		boolean failed = false;
		boolean resume = false;
		synchronized (this) {
			write.done = true;
			this.bytes -= write.cost;
			if (failure != null) {
				this.writing = false;
				drop();
				if (this.closing == null) {
					failed = true;
				}
				else if (!this.aborted) {
					closeNow = closeOnce();
				}
			}
			else {
				resume = this.paused && !this.yielding && this.bytes <= this.lowWater;
				next = next();
				if (next == null && this.closing != null) {
					closeNow = closeOnce();
				}
				if (!write.returned) {
					// The writing thread is still in the transport's send: it goes on with the next.
					write.following = next;
					next = null;
				}
			}
		}
		if (failure == null && write.frame.last() && !write.frame.isControl()) {
			this.meters.sent();
		}
		if (resume) {
			// In a task of its own: this completion may run under the container's lock of the writes,
			// which the reading thread takes while it holds the lock that resuming takes.
			this.transport.later(() -> resumeIfDrained(false));
		}
		if (failed) {
			this.sendFailed.accept(failure);
		}
		if (closeNow != null) {
			closeSession(closeNow);
		}
		if (next != null) {
			writeFrom(next);
		}
	}

	/**
	 * Ends the turn of the thread delivering the client's messages when it has had them long enough:
	 * reading pauses and resumes behind the work that waits for a thread meanwhile. Called by that thread,
	 * after each message or part.
	 */
	public void yieldIfTurnIsOver() {
		synchronized (this) {
			if (this.paused || this.closing != null || !this.transport.turnIsOver()) {
				return;
			}
			this.yielding = true;
			this.paused = true;
			this.transport.pauseReading();
		}
		this.transport.later(this::endTurn);
	}

	private void endTurn() {
		resumeIfDrained(true);
	}

	/**
	 * Resumes reading if it is paused and what waits has drained (below half the limit after backpressure;
	 * at or below it at the end of a turn, which may turn into backpressure instead). Not under this
	 * outbox's lock, which the reading thread takes while it holds the transport's: the pause and the
	 * container's state change together, while no other thread delivers.
	 */
	private void resumeIfDrained(boolean endOfTurn) {
		this.transport.whileNotReading(() -> {
			synchronized (this) {
				if (endOfTurn) {
					if (!this.yielding) {
						return;
					}
					if (this.bytes > this.highWater) {
						// Backpressure now: the completions resume reading once enough has gone out.
						this.yielding = false;
						this.meters.readingPaused();
						return;
					}
				}
				else if (!this.paused || this.yielding || this.bytes > this.lowWater) {
					return;
				}
				this.paused = false;
				this.yielding = false;
				this.transport.resumeReading();
			}
		});
	}

	/**
	 * Guarded: the next write, or null when nothing waits (or a close does), and then no write is under
	 * way. Parts of one message that wait one behind the other go out as one frame.
	 */
	private Write next() {
		Frame head = (this.closing == null && this.waiting != null) ? this.waiting.poll() : null;
		if (head == null) {
			this.writing = false;
			return null;
		}
		int cost = head.size() + FRAME_OVERHEAD;
		if (head.last() || head.isControl() || !isPartOfTheSameMessage(this.waiting.peek())) {
			return new Write(head, cost);
		}
		int size = head.size();
		int parts = 1;
		for (Frame frame : this.waiting) {
			if (!isPartOfTheSameMessage(frame)) {
				break;
			}
			size += frame.size();
			parts++;
			if (frame.last()) {
				break;
			}
		}
		ByteBuffer merged = ByteBuffer.allocate(size);
		merged.put(head.payload());
		boolean last = false;
		for (int i = 1; i < parts; i++) {
			Frame frame = this.waiting.poll();
			merged.put(frame.payload());
			last = frame.last();
		}
		return new Write(new Frame(head.opCode(), merged.flip(), last), size + parts * FRAME_OVERHEAD);
	}

	private static boolean isPartOfTheSameMessage(Frame frame) {
		return frame != null && !frame.isControl();
	}

	/**
	 * Closes the connection with {@code status} once the frame under way, if any, has gone out (or
	 * failed); frames waiting behind it are dropped. Once only.
	 */
	public void close(CloseStatus status) {
		synchronized (this) {
			if (this.closing != null) {
				return;
			}
			this.closing = status;
			drop();
			if (this.writing) {
				return;
			}
			closeOnce();
		}
		closeSession(status);
	}

	/**
	 * Drops the connection without waiting for the frame under way, then closes the session with
	 * {@code status} (or with the one a close asked for before): the container's close frame then fails at
	 * once instead of waiting to be written to a client that takes nothing.
	 */
	public void abort(CloseStatus status) {
		synchronized (this) {
			if (this.closing == null) {
				this.closing = status;
				drop();
			}
			this.aborted = true;
		}
		this.transport.abort();
		CloseStatus closeNow;
		synchronized (this) {
			closeNow = closeOnce();
		}
		if (closeNow != null) {
			closeSession(closeNow);
		}
	}

	/** Guarded: the status to close with, the first time only. */
	private CloseStatus closeOnce() {
		if (this.closed) {
			return null;
		}
		this.closed = true;
		return this.closing;
	}

	/** Guarded: forgets the frames waiting, and what they held. */
	private void drop() {
		if (this.waiting != null) {
			for (Frame frame : this.waiting) {
				this.bytes -= frame.size() + FRAME_OVERHEAD;
			}
			this.waiting = null;
		}
	}

	private void closeSession(CloseStatus status) {
		try {
			// The container writes the close frame itself, with a blocking send that gives up after
			// SessionTuning's control frame limit: then it drops the connection.
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			// The connection broke on the way out; it is closed either way.
			logger.debug("session {}: close frame not sent: {}", this.session.getId(), ex.toString());
		}
	}

	/** Bytes waiting to be sent, the frame under way included, as the memory budget counts them. */
	public long bytes() {
		return this.bytes;
	}

	/** Whether reading from the client is paused: until it has read more, or for the end of a turn. */
	public boolean paused() {
		return this.paused;
	}

	/**
	 * Whether reading from the client is paused until it has read more of what it is sent (backpressure),
	 * not only for the end of a turn, which lasts as long as other connections' work waits for a thread.
	 * Read without the lock, for the gauges: at the instant a turn begins or ends, either answer.
	 */
	public boolean heldBack() {
		return this.paused && !this.yielding;
	}

	/** One frame handed to the transport, and what is known of it. */
	private final class Write implements SendHandler {

		private final Frame frame;

		/** What the frame, or the waiting frames merged into it, counted for. */
		private final long cost;

		// Guarded by the outbox.

		private boolean done;

		private boolean returned;

		/** The write to go on with, when this one completed before the transport returned. */
		private Write following;

		Write(Frame frame, long cost) {
			this.frame = frame;
			this.cost = cost;
		}

		@Override
		public void onResult(SendResult result) {
			completed(this, result.getException());
		}

	}

}
