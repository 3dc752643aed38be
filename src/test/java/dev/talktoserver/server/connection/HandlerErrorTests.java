package dev.talktoserver.server.connection;

import dev.talktoserver.observability.TalkMetrics;
import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that throws: only its session is closed, with 1011, and the failure is logged once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class HandlerErrorTests {

	@LocalServerPort
	private int port;

	@Test
	void exceptionClosesOnlyThatSessionWith1011AndIsLoggedOnce(CapturedOutput output) throws Exception {
		JdkTestClient bystander = JdkTestClient.connect(this.port, "/talk-to-server");
		JdkTestClient client = JdkTestClient.connect(this.port, "/test-failing");
		client.send("boom");
		Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(1011);
		assertThat(close.reason()).isEqualTo("internal error");
		assertThat(bystander.roundTrip("still here")).isEqualTo("Hello from server!");
		assertThat(output.getOut().lines().filter((line) -> line.contains("message handling failed")))
			.singleElement()
			.asString()
			.containsPattern("ERROR .* session \\S+ \\(127\\.0\\.0\\.1:\\d+\\) on /test-failing");
		assertThat(output.getOut().lines().filter((line) -> line.contains("handler failed on purpose"))).hasSize(1);
		bystander.close();
	}

	/**
	 * An endpoint of the test's own, through Spring's registry (the application serves its endpoints by
	 * a filter of their own, {@code HandshakeRoute}), behind the same session guard.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	@EnableWebSocket
	static class FailingEndpoint {

		@Bean
		WebSocketConfigurer failingEndpoint(SessionRegistry sessions, SessionTuning tuning, TalkMetrics metrics) {
			TextWebSocketHandler failing = new TextWebSocketHandler() {
				@Override
				protected void handleTextMessage(WebSocketSession session, TextMessage message) {
					throw new IllegalStateException("handler failed on purpose");
				}
			};
			return (registry) -> registry
				.addHandler(new SessionGuard(failing, metrics.endpoint("/test-failing"), 1024, sessions, tuning, 0),
						"/test-failing");
		}

	}

}
