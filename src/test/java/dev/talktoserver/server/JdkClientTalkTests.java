package dev.talktoserver.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /talk-to-server} as the JDK's own {@code java.net.http.WebSocket} sees it: an implementation
 * that shares no code with Spring or Tomcat.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class JdkClientTalkTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Test
	void answersEachMessageAndClosesNormally() throws Exception {
		Listener listener = new Listener();
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.buildAsync(URI.create("ws://localhost:" + this.port + "/talk-to-server"), listener)
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		for (int i = 1; i <= 3; i++) {
			webSocket.sendText("Hello from client " + i, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(listener.texts.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("reply to message %d", i)
				.isEqualTo("Hello from server!");
		}
		webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(listener.closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
	}

	private static final class Listener implements WebSocket.Listener {

		private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

		private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.texts.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closeCode.completeExceptionally(error);
		}

	}

}
