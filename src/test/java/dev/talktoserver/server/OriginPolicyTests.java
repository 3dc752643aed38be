package dev.talktoserver.server;

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
 * The origin policy as shipped: the server's own origin, and clients that send none.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OriginPolicyTests {

	@LocalServerPort
	private int port;

	@Test
	void handshakeWithoutOriginIsAccepted() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("no origin")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void handshakeFromTheServersOwnOriginIsAccepted() throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server", "http://127.0.0.1:" + this.port);
		assertThat(client.roundTrip("same origin")).isEqualTo("Hello from server!");
		client.close();
	}

	@Test
	void crossSiteHandshakeGets403AndOthersKeepWorking(CapturedOutput output) throws Exception {
		JdkTestClient bystander = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(JdkTestClient.refusedStatus(this.port, "/talk-to-server", "https://evil.example")).isEqualTo(403);
		assertThat(JdkTestClient.refusedStatus(this.port, "/echo", "https://evil.example")).isEqualTo(403);
		assertThat(bystander.roundTrip("still here")).isEqualTo("Hello from server!");
		assertThat(output.getOut()).containsPattern(
				"handshake from /127\\.0\\.0\\.1:\\d+ to /talk-to-server refused with 403: origin https://evil\\.example is not allowed");
		bystander.close();
	}

}
