package dev.talktoserver.server.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A client that floods messages and never reads its replies: it is cut off once a frame to it has
 * waited for the send time limit (1 s here), what waited for it leaves the memory budget, and 200 other
 * clients are served as usual meanwhile.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.send-time-limit=1s", "talk.compression.enabled=true" })
@ExtendWith(OutputCaptureExtension.class)
class SlowConsumerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int OTHERS = 200;

	private static final int ROUND_TRIPS_EACH = 20;

	@LocalServerPort
	private int port;

	@Autowired
	private SessionRegistry sessions;

	@Autowired
	private MemoryBudget budget;

	@Autowired
	private MeterRegistry registry;

	@Test
	void floodingClientThatNeverReadsIsCutOffWhileTwoHundredOthersAreServed(CapturedOutput output)
			throws Exception {
		ExecutorService flooder = Executors.newSingleThreadExecutor();
		// On /echo every reply is as large as the message, so the server's sends stall within a few
		// megabytes; the protection is the same on every endpoint.
		RawWebSocket flood = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 4096);
		try {
			long startOfFlood = System.nanoTime();
			Future<Long> framesBeforeCutOff = flooder.submit(() -> floodUntilCutOff(flood));

			List<CompletableFuture<JdkTestClient>> opening = new ArrayList<>();
			for (int i = 0; i < OTHERS; i++) {
				opening.add(JdkTestClient.connectAsync(this.port, "/talk-to-server", null));
			}
			List<JdkTestClient> others = new ArrayList<>();
			for (CompletableFuture<JdkTestClient> future : opening) {
				others.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			}
			// Round trips on all 200 for as long as the flood lasts (and at least 20 rounds): the
			// server is meanwhile stuck sending to a client that does not read, until it gives up.
			long slowestNanos = 0;
			for (int round = 0; round < ROUND_TRIPS_EACH || !framesBeforeCutOff.isDone(); round++) {
				long start = System.nanoTime();
				for (JdkTestClient other : others) {
					other.send("round " + round);
				}
				for (JdkTestClient other : others) {
					assertThat(other.nextText()).isEqualTo("Hello from server!");
				}
				slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
				assertThat(Duration.ofNanos(System.nanoTime() - startOfFlood)).as("time until the flood is cut off")
					.isLessThan(TIMEOUT);
			}
			// 200 round trips in parallel normally take a few milliseconds; a blocked server would take
			// the send time limit (1 s) or more.
			assertThat(Duration.ofNanos(slowestNanos)).isLessThan(Duration.ofMillis(900));

			assertThat(framesBeforeCutOff.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isPositive();
			assertThat(output.getOut()).contains("closing with 1008 (too slow: the client is not reading its messages)");
			for (JdkTestClient other : others) {
				assertThat(other.roundTrip("after")).isEqualTo("Hello from server!");
				other.close();
			}
		}
		finally {
			flood.close();
			flooder.shutdownNow();
		}
	}

	@ParameterizedTest(name = "compressed: {0}")
	@ValueSource(booleans = { false, true })
	void clientThatNeverReadsIsClosedWith1008AfterTheSendTimeLimitAndWhatWaitedForItIsFreed(boolean compressed,
			CapturedOutput output) throws Exception {
		double closedBefore = closedWith1008();
		byte[] message = new byte[64 * 1024];
		new Random(21).nextBytes(message);
		Map<String, String> offer = compressed ? Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.BROWSER_OFFER)
				: Map.of();
		RawWebSocket socket = RawWebSocket.connect(this.port, "/echo", TIMEOUT, 4096, offer);
		ExecutorService sender = Executors.newSingleThreadExecutor();
		try {
			Future<?> sending = sender.submit(() -> {
				while (true) {
					socket.sendFrame(true, Frame.BINARY, message);
				}
			});
			await().atMost(TIMEOUT).until(() -> this.sessions.heldBack() == 1);
			long heldBackAt = System.nanoTime();
			this.budget.review();
			assertThat(this.budget.held()).as("what waits for it, counted in the budget")
				.isGreaterThan(MemoryBudget.CONNECTION_BYTES + (compressed ? MemoryBudget.COMPRESSION_BYTES : 0)
						+ 8 * 1024);
			await().atMost(TIMEOUT).until(() -> this.sessions.size() == 0);
			assertThat(Duration.ofNanos(System.nanoTime() - heldBackAt)).as("from being held back to closed")
				.isGreaterThan(Duration.ofMillis(500))
				.isLessThan(Duration.ofSeconds(5));
			// What a session held is given back, and its close counted, just after it leaves the registry,
			// on the thread that closed it.
			await().atMost(TIMEOUT).until(() -> {
				this.budget.review();
				return this.budget.held() == 0;
			});
			await().atMost(TIMEOUT).until(() -> closedWith1008() == closedBefore + 1);
			assertThat(output.getOut())
				.contains("closing with 1008 (too slow: the client is not reading its messages)");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> sending.get(30, TimeUnit.SECONDS))
				.withCauseInstanceOf(IOException.class);
		}
		finally {
			socket.close();
			sender.shutdownNow();
		}
	}

	private double closedWith1008() {
		Counter closed = this.registry.find("talk.sessions.closed").tag("endpoint", "/echo").tag("code", "1008")
			.counter();
		return (closed != null) ? closed.count() : 0;
	}

	/** Sends 1 KiB messages until the server cuts the connection; returns how many went out. */
	private static long floodUntilCutOff(RawWebSocket flood) {
		byte[] payload = "f".repeat(1024).getBytes(StandardCharsets.UTF_8);
		long sent = 0;
		try {
			while (true) {
				flood.sendFrame(true, Frame.TEXT, payload);
				sent++;
			}
		}
		catch (IOException ex) {
			return sent;
		}
	}

}
