package dev.talktoserver.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that floods messages and never reads its replies: it is cut off within the send time
 * limit, and 200 other clients are served as usual meanwhile.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.send-time-limit=1s", "talk.send-buffer-size-limit=64KB" })
@ExtendWith(OutputCaptureExtension.class)
class SlowConsumerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int OTHERS = 200;

	private static final int ROUND_TRIPS_EACH = 20;

	@LocalServerPort
	private int port;

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
