package dev.talktoserver.observability;

import dev.talktoserver.support.JdkTestClient;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one log line each message gets, read from the application's real console output.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class MessageLogTests {

	@LocalServerPort
	private int port;

	@Test
	void logsTheMessageWithSessionAndRemoteAddress(CapturedOutput output) throws Exception {
		sendAndAwaitReply("Hello from client!");
		assertThat(output.getOut()).containsPattern(
				"talk\\.messages\\s*: session \\S+ \\(127\\.0\\.0\\.1:\\d+\\) sent 18 chars: \"Hello from client!\"");
	}

	@Test
	void messageWithCrLfYieldsOneEscapedLineAndCannotForgeAnother(CapturedOutput output) throws Exception {
		String forged = "2026-01-01T00:00:00.000Z  INFO 1 --- [talk-to-server] [main] talk.messages : forged";
		sendAndAwaitReply("innocent\r\n" + forged);
		String escaped = "\"innocent\\r\\n" + forged + "\"";
		assertThat(output.getOut().lines().filter((line) -> line.contains("innocent")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.endsWith(escaped);
		assertThat(output.getOut().lines()).noneMatch((line) -> line.startsWith("2026-01-01T00:00:00.000Z"));
	}

	@Test
	void longMessageIsCutInTheLogWithItsLengthShown(CapturedOutput output) throws Exception {
		sendAndAwaitReply("x".repeat(5000));
		assertThat(output.getOut()).contains("sent 5000 chars: \"" + "x".repeat(200) + "\"... (first 200 shown)");
		assertThat(output.getOut()).doesNotContain("x".repeat(201));
	}

	@Test
	void logVolumePerMessageIsBoundedWhateverTheMessage(CapturedOutput output) throws Exception {
		// Every character escaped to six: the worst case for the length of the line.
		sendAndAwaitReply("\u0001".repeat(60_000));
		String line = output.getOut().lines().filter((l) -> l.contains("sent 60000 chars")).findFirst().orElseThrow();
		assertThat(line).hasSizeLessThan(200 * 6 + 300);
	}

	private void sendAndAwaitReply(String message) throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		// The server logs before it replies, so once the reply is here the line is in the output.
		assertThat(client.roundTrip(message)).isEqualTo("Hello from server!");
		client.close();
	}

}
