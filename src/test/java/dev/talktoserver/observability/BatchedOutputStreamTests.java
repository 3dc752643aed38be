package dev.talktoserver.observability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lines collected and written together: none lost, none reordered, none held back for long. */
class BatchedOutputStreamTests {

	private final Target target = new Target();

	@Test
	void linesFromManyThreadsAllArriveEachThreadsInOrderInFewWrites() throws Exception {
		BatchedOutputStream batched = new BatchedOutputStream(this.target, Duration.ofMillis(10));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				writers.add(threads.submit(() -> {
					for (int i = 0; i < 2000; i++) {
						write(batched, "t" + thread + " " + i + "\n");
					}
				}));
			}
			for (Future<?> writer : writers) {
				writer.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		batched.close();

		List<String> lines = this.target.text().lines().toList();
		assertThat(lines).hasSize(8000);
		for (int t = 0; t < 4; t++) {
			String prefix = "t" + t + " ";
			assertThat(lines.stream().filter((line) -> line.startsWith(prefix)).map((line) -> line.substring(prefix.length())))
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 2000).mapToObj(Integer::toString).toList());
		}
		assertThat(this.target.writes.get()).as("writes to the console for 8,000 lines").isLessThan(200);
	}

	@Test
	void aLineGoesOutWithinTheIntervalWithoutCloseOrFlush() throws IOException {
		BatchedOutputStream batched = new BatchedOutputStream(this.target, Duration.ofMillis(10));
		write(batched, "one\n");
		batched.flush();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.target.text().equals("one\n"));
		write(batched, "two\n");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.target.text().equals("one\ntwo\n"));
		batched.close();
	}

	@Test
	void aFullBufferMakesWritersWaitForTheConsoleNotDropLines() throws Exception {
		CountDownLatch consoleMayWrite = new CountDownLatch(1);
		this.target.blockUntil(consoleMayWrite);
		BatchedOutputStream batched = new BatchedOutputStream(this.target, Duration.ofMillis(1));
		byte[] line = ("x".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
		int lines = 3 * BatchedOutputStream.CAPACITY / line.length;
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<?> writing = thread.submit(() -> {
				for (int i = 0; i < lines; i++) {
					batched.write(line, 0, line.length);
				}
				return null;
			});
			// The console is stuck: the writer fills the buffer and waits.
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !writing.isDone());
			consoleMayWrite.countDown();
			writing.get(10, TimeUnit.SECONDS);
		}
		finally {
			thread.shutdownNow();
		}
		batched.close();
		assertThat(this.target.bytes.size()).isEqualTo(lines * line.length);
	}

	@Test
	void closeWritesWhatWasCollectedAndLaterLinesGoStraightThrough() throws IOException {
		BatchedOutputStream batched = new BatchedOutputStream(this.target, Duration.ofHours(1));
		write(batched, "collected\n");
		batched.close();
		assertThat(this.target.text()).isEqualTo("collected\n");
		write(batched, "late\n");
		assertThat(this.target.text()).isEqualTo("collected\nlate\n");
		assertThat(this.target.flushes.get()).isPositive();
	}

	private static void write(OutputStream out, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		try {
			out.write(bytes, 0, bytes.length);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A console that counts its writes, and can be made to hang. */
	static final class Target extends OutputStream {

		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		final AtomicInteger writes = new AtomicInteger();

		final AtomicInteger flushes = new AtomicInteger();

		private volatile CountDownLatch gate = new CountDownLatch(0);

		void blockUntil(CountDownLatch gate) {
			this.gate = gate;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			try {
				this.gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (this.bytes) {
				this.bytes.write(b, off, len);
			}
			this.writes.incrementAndGet();
		}

		@Override
		public void flush() {
			this.flushes.incrementAndGet();
		}

		String text() {
			synchronized (this.bytes) {
				return this.bytes.toString(StandardCharsets.UTF_8);
			}
		}

	}

}
