package dev.talktoserver.observability;

import java.time.Duration;

import dev.talktoserver.support.JdkTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code talk.*} meters move as connections open, talk and close. The context is shared with other
 * tests, so each check is a difference from before.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MetricsTests {

	private static final String TALK = "/talk-to-server";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void openTalkAndCloseMoveTheSessionAndMessageMeters() throws Exception {
		double opened = count("talk.sessions.opened", TALK);
		double received = count("talk.messages.received", TALK);
		double sent = count("talk.messages.sent", TALK);
		double bytes = count("talk.messages.received.bytes", TALK);
		double closedNormally = closed(TALK, "1000");
		long handled = this.registry.get("talk.handler.time").tag("endpoint", TALK).timer().count();
		long sized = this.registry.get("talk.messages.size").tag("endpoint", TALK).summary().count();

		JdkTestClient client = JdkTestClient.connect(this.port, TALK);
		// The client has its 101 when the server may still be in afterConnectionEstablished, which counts.
		await().atMost(Duration.ofSeconds(10)).until(() -> count("talk.sessions.opened", TALK) == opened + 1);
		for (String message : new String[] { "one", "two", "three" }) {
			assertThat(client.roundTrip(message)).isEqualTo("Hello from server!");
		}
		assertThat(active(TALK)).isGreaterThanOrEqualTo(1);
		client.close();
		client.awaitClose();

		await().atMost(Duration.ofSeconds(10)).until(() -> closed(TALK, "1000") == closedNormally + 1);
		assertThat(count("talk.messages.received", TALK)).isEqualTo(received + 3);
		assertThat(count("talk.messages.sent", TALK)).isEqualTo(sent + 3);
		assertThat(count("talk.messages.received.bytes", TALK)).isEqualTo(bytes + "onetwothree".length());
		assertThat(this.registry.get("talk.handler.time").tag("endpoint", TALK).timer().count()).isEqualTo(handled + 3);
		assertThat(this.registry.get("talk.messages.size").tag("endpoint", TALK).summary().count()).isEqualTo(sized + 3);
	}

	@Test
	void closeByTheServerIsCountedUnderItsCode() throws Exception {
		double tooBig = closed(TALK, "1009");
		JdkTestClient client = JdkTestClient.connect(this.port, TALK);
		client.send("x".repeat(64 * 1024 + 1));
		assertThat(client.awaitClose().code()).isEqualTo(1009);
		await().atMost(Duration.ofSeconds(10)).until(() -> closed(TALK, "1009") == tooBig + 1);
	}

	@Test
	void refusedHandshakeIsCountedByReason() throws Exception {
		double before = rejected(TALK, "origin");
		assertThat(JdkTestClient.refusedStatus(this.port, TALK, "https://elsewhere.example")).isEqualTo(403);
		assertThat(rejected(TALK, "origin")).isEqualTo(before + 1);
	}

	private double count(String name, String endpoint) {
		return this.registry.get(name).tag("endpoint", endpoint).counter().count();
	}

	private double active(String endpoint) {
		return this.registry.get("talk.sessions.active").tag("endpoint", endpoint).gauge().value();
	}

	private double closed(String endpoint, String code) {
		return Search.in(this.registry).name("talk.sessions.closed").tag("endpoint", endpoint).tag("code", code)
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private double rejected(String endpoint, String reason) {
		return Search.in(this.registry).name("talk.handshakes.rejected").tag("endpoint", endpoint)
			.tag("reason", reason).counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

}
