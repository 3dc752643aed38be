package dev.talktoserver.server.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code talk.memory-budget}, here 200 KB: room for nine idle connections (22 KB each as the budget
 * counts them), or fewer when some are compressed (132 KB more each). Past it, handshakes get 503 and
 * the connections holding the most are closed with 1013, while the others keep talking.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "talk.memory-budget=200KB", "talk.compression.enabled=true" })
@ExtendWith(OutputCaptureExtension.class)
class MemoryBudgetTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int IDLE_CONNECTIONS_THAT_FIT = 9;

	@LocalServerPort
	private int port;

	@Autowired
	private SessionRegistry sessions;

	@Autowired
	private MemoryBudget budget;

	@Autowired
	private MeterRegistry registry;

	private final List<RawWebSocket> open = new ArrayList<>();

	@AfterEach
	void closeEverything() throws IOException {
		for (RawWebSocket socket : this.open) {
			socket.close();
		}
		await().atMost(TIMEOUT).until(() -> this.sessions.size() == 0);
		// Ends any episode now rather than at the heartbeat's next review.
		this.budget.review();
	}

	@Test
	void handshakePastTheBudgetGets503AndTheEpisodeIsLoggedOnceWhileOthersKeepTalking(CapturedOutput output)
			throws Exception {
		double episodes = this.registry.get("talk.memory.budget.reached").counter().count();
		for (int i = 0; i < IDLE_CONNECTIONS_THAT_FIT; i++) {
			talking("/talk-to-server", null);
		}
		for (int i = 0; i < 2; i++) {
			try (RawWebSocket refused = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
				assertThat(refused.status()).as("handshake past the budget").isEqualTo(503);
				assertThat(refused.header("Retry-After")).isEqualTo("5");
			}
		}
		assertThat(this.registry.get("talk.memory.budget.reached").counter().count()).isEqualTo(episodes + 1);
		assertThat(output.getOut()).containsOnlyOnce("memory budget reached: 9 connections hold 198 KB of 200 KB");
		assertThat(this.registry.get("talk.handshakes.rejected").tag("reason", "memory").counter().count())
			.isGreaterThanOrEqualTo(2);
		assertThat(roundTrip(this.open.get(0))).isEqualTo("Hello from server!");

		// Two go: under 90% of the budget, handshakes are taken again.
		for (int i = 0; i < 2; i++) {
			this.open.remove(0).close();
		}
		await().atMost(TIMEOUT).until(() -> this.sessions.size() == IDLE_CONNECTIONS_THAT_FIT - 2);
		this.budget.review();
		// Said once, by this review or by the heartbeat's, which may come between the two closes (176 KB).
		await().atMost(TIMEOUT)
			.until(() -> output.getOut().contains("KB of 200 KB again; taking new handshakes"));
		talking("/talk-to-server", null);
	}

	@Test
	void compressedConnectionCountsItsCompressionState() throws Exception {
		talking("/talk-to-server", null);
		talking("/talk-to-server", null);
		talking("/echo", PerMessageDeflate.BROWSER_OFFER);
		assertThat(this.budget.held())
			.isEqualTo(3 * MemoryBudget.CONNECTION_BYTES + MemoryBudget.COMPRESSION_BYTES);
		try (RawWebSocket refused = RawWebSocket.connect(this.port, "/talk-to-server", TIMEOUT)) {
			assertThat(refused.status()).as("a fourth, with 199 KB of 200 held").isEqualTo(503);
		}
	}

	@Test
	void whenMessagesArrivingInPartsPassTheBudgetTheConnectionHoldingTheMostIsClosedWith1013() throws Exception {
		for (int i = 0; i < IDLE_CONNECTIONS_THAT_FIT; i++) {
			talking("/talk-to-server", null);
		}
		// Each keeps 201 characters of its unfinished message for the log: 9 x 402 bytes more than fits.
		byte[] start = "m".repeat(1000).getBytes(StandardCharsets.UTF_8);
		for (RawWebSocket socket : this.open) {
			socket.sendFrame(false, Frame.TEXT, start);
		}
		await().atMost(TIMEOUT).until(() -> this.sessions.all().stream().allMatch((s) -> s.heldBytes() > 0));
		this.budget.review();
		int closed = 0;
		for (RawWebSocket socket : this.open) {
			socket.sendFrame(true, Frame.CONTINUATION, "end".getBytes(StandardCharsets.UTF_8));
			Frame answer = socket.readFrameSkippingPings();
			if (answer.opcode() == Frame.CLOSE) {
				assertThat(answer.closeCode()).isEqualTo(1013);
				assertThat(answer.closeReasonText()).isEqualTo("server low on memory: try again later");
				closed++;
			}
			else {
				assertThat(answer.text()).isEqualTo("Hello from server!");
			}
		}
		assertThat(closed).as("connections closed to get back under 90%% of the budget").isEqualTo(1);
	}

	/** A connection that has had its first round trip, so that the server has registered it. */
	private RawWebSocket talking(String path, String offer) throws Exception {
		RawWebSocket socket = (offer != null)
				? RawWebSocket.connect(this.port, path, TIMEOUT, Map.of("Sec-WebSocket-Extensions", offer))
				: RawWebSocket.connect(this.port, path, TIMEOUT);
		assertThat(socket.status()).as("handshake with %d open", this.open.size()).isEqualTo(101);
		this.open.add(socket);
		if (offer == null) {
			assertThat(roundTrip(socket)).isNotEmpty();
		}
		else {
			await().atMost(TIMEOUT).until(() -> this.sessions.compressed() == 1);
		}
		return socket;
	}

	private static String roundTrip(RawWebSocket socket) throws IOException {
		socket.sendText("hello");
		return socket.readMessage().text();
	}

}
