package dev.talktoserver.observability;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With ECS JSON logs, the per-message event carries its details as fields, not only in the text.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.structured.format.console=ecs")
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTests {

	@LocalServerPort
	private int port;

	@Test
	void messageEventCarriesSessionRemoteAddressEndpointAndLengthAsFields(CapturedOutput output) throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("structured\nmessage")).isEqualTo("Hello from server!");
		client.close();
		String event = output.getOut().lines().filter((line) -> line.contains("\"logger\":\"talk.messages\""))
			.findFirst().orElseThrow();
		assertThat(event).startsWith("{")
			.containsPattern("\"sessionId\":\"[^\"]+\"")
			.containsPattern("\"remoteAddress\":\"127\\.0\\.0\\.1:\\d+\"")
			.contains("\"endpoint\":\"/talk-to-server\"", "\"messageChars\":18")
			.contains("sent 18 chars: \\\"structured\\\\nmessage\\\"");
	}

}
