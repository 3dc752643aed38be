package dev.talktoserver;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With ECS JSON logs, the per-message event carries its details as fields, not only in the text. In a
 * process of its own: the logging configuration is the JVM's, and would stay with the other tests.
 */
class StructuredLogIT {

	@Test
	void messageEventCarriesSessionRemoteAddressEndpointAndLengthAsFields() throws Exception {
		try (ServerProcess server = ServerProcess.start("structured-log-it", "--logging.structured.format.console=ecs")) {
			JdkTestClient client = JdkTestClient.connect(server.port(), "/talk-to-server");
			assertThat(client.roundTrip("structured\nmessage")).isEqualTo("Hello from server!");
			client.close();
			server.awaitLog("\"logger\":\"talk.messages\"");
			String event = server.log().lines().filter((line) -> line.contains("\"logger\":\"talk.messages\""))
				.findFirst().orElseThrow(() -> new AssertionError("no talk.messages event in:\n" + server.log()));
			assertThat(event).startsWith("{")
				.containsPattern("\"sessionId\":\"[^\"]+\"")
				.containsPattern("\"remoteAddress\":\"127\\.0\\.0\\.1:\\d+\"")
				.contains("\"endpoint\":\"/talk-to-server\"", "\"messageChars\":18")
				.contains("sent 18 chars: \\\"structured\\\\nmessage\\\"");
		}
	}

}
