package dev.talktoserver.observability;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects what is written to it for a short interval and passes it on in one write. Every message is
 * logged, and a write to the console per line cost a tenth of the server's CPU (one system call each);
 * collected for 10 ms, thousands of lines go in one. Nothing is dropped: a writer that finds the buffer
 * full waits, as it would for a slow console. On {@link #close()} everything collected is written, in
 * order; what a killed process had not yet written (at most one interval's worth) is lost.
 * <p>
 * The writing thread sleeps while nothing comes in, and is woken by the first line after a pause:
 * one wake-up per batch, not per line.
 */
final class BatchedOutputStream extends OutputStream {

	/** Beyond this many bytes waiting, writers wait for the batch to be written. */
	static final int CAPACITY = 1024 * 1024;

	private final OutputStream target;

	private final long intervalNanos;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final Condition written = this.lock.newCondition();

	private final Thread writer;

	private byte[] pending = new byte[8192];

	private int length;

	private boolean closing;

	/** A writer waits for room: the batch goes out now rather than at the end of the interval. */
	private boolean full;

	private boolean writerDone;

	BatchedOutputStream(OutputStream target, Duration interval) {
		this.target = target;
		this.intervalNanos = interval.toNanos();
		this.writer = new Thread(this::writeBatches, "console-writer");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] bytes, int offset, int count) throws IOException {
		this.lock.lock();
		try {
			while (this.length > 0 && this.length + count > CAPACITY && !this.writerDone) {
				this.full = true;
				this.arrived.signal();
				this.written.awaitUninterruptibly();
			}
			if (this.writerDone) {
				this.target.write(bytes, offset, count);
				this.target.flush();
				return;
			}
			ensureRoom(count);
			System.arraycopy(bytes, offset, this.pending, this.length, count);
			boolean wasEmpty = this.length == 0;
			this.length += count;
			if (wasEmpty) {
				this.arrived.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Where the batches go. */
	OutputStream target() {
		return this.target;
	}

	/** Nothing: what is written goes out within the interval (the appender flushes after every line). */
	@Override
	public void flush() {
	}

	/** Writes everything collected, then stops the writing thread; later writes go straight through. */
	@Override
	public void close() throws IOException {
		this.lock.lock();
		try {
			this.closing = true;
			this.arrived.signal();
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.writer.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.target.flush();
	}

	private void ensureRoom(int count) {
		if (this.length + count > this.pending.length) {
			byte[] larger = new byte[Math.max(this.pending.length * 2, this.length + count)];
			System.arraycopy(this.pending, 0, larger, 0, this.length);
			this.pending = larger;
		}
	}

	private void writeBatches() {
		byte[] batch = new byte[0];
		while (true) {
			int count;
			this.lock.lock();
			try {
				while (this.length == 0 && !this.closing) {
					this.arrived.awaitUninterruptibly();
				}
				if (this.length == 0) {
					this.writerDone = true;
					this.written.signalAll();
					return;
				}
				// Let the lines of the next moment join this one's (unless closing, or the buffer is full).
				long remaining = this.intervalNanos;
				while (remaining > 0 && !this.closing && !this.full) {
					try {
						remaining = this.arrived.awaitNanos(remaining);
					}
					catch (InterruptedException ex) {
						break;
					}
				}
				byte[] collected = this.pending;
				count = this.length;
				this.pending = (batch.length >= 8192 && batch.length <= CAPACITY) ? batch : new byte[8192];
				this.length = 0;
				this.full = false;
				batch = collected;
				this.written.signalAll();
			}
			finally {
				this.lock.unlock();
			}
			try {
				this.target.write(batch, 0, count);
				this.target.flush();
			}
			catch (IOException ex) {
				// The console is gone (a closed pipe): there is nowhere left to say so.
			}
		}
	}

}
