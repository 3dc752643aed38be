package dev.talktoserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worst clients together against the packaged jar with a small heap ({@code -Xmx96m}, so a memory
 * budget of 48 MB) and compression on: 1,500 connections each holding the first 60,000 bytes of a
 * message they never finish, clients that send 20,000 messages and never read, 150 compressing clients,
 * and a flood of 1,000 handshakes, all at once, from {@code bench/bad-clients.py}. Meanwhile a
 * well-behaved client and the liveness probe keep getting their answers, the budget sheds load with 503
 * and 1013, and the JVM never runs out of memory.
 */
class MemoryBudgetIT {

	/** The whole run: opening everything, then 10 s held; it stops by itself well within this. */
	private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);

	private static final ObjectMapper json = new ObjectMapper();

	@Test
	void worstClientsTogetherGet503And1013WhileOthersAreServedAndTheHeapHolds() throws Exception {
		try (ServerProcess server = ServerProcess.start("memory-budget-it", List.of("-Xmx96m"),
				"--talk.compression.enabled=true", "--talk.max-connections-per-client=10000")) {
			JsonNode result = badClients(server.port(), "--partial", "1500", "--noread", "4", "--compress", "150",
					"--flood", "1000", "--hold", "10");
			String log = server.log();
			assertThat(log).as("server log").doesNotContain("OutOfMemoryError").contains("memory budget reached");
			assertThat(result.at("/handshakes/503").asInt()).as("handshakes refused at the budget: %s", result)
				.isPositive();
			assertThat(result.at("/liveness/failed").asInt()).as("liveness failures: %s", result).isZero();
			assertThat(result.at("/liveness/slowest_s").asDouble()).as("slowest liveness answer: %s", result)
				.isLessThan(2.0);
			assertThat(result.at("/good_client/failed").asInt()).as("good client's failures: %s", result).isZero();
			assertThat(result.at("/good_client/slowest_s").asDouble()).as("good client's slowest: %s", result)
				.isLessThan(2.0);
		}
	}

	private static JsonNode badClients(int port, String... args) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("python3", Path.of("bench/bad-clients.py").toString(), "--port", String.valueOf(port), "--json"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("bad-clients.py ended").isTrue();
		assertThat(process.exitValue()).as("bad-clients.py exit status").isZero();
		return json.readTree(new String(output, StandardCharsets.UTF_8));
	}

}
