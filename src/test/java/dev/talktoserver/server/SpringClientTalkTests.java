package dev.talktoserver.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /talk-to-server} as Spring's own WebSocket client sees it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SpringClientTalkTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	private final StandardWebSocketClient client = new StandardWebSocketClient();

	@Test
	void answersAMessageWithHelloFromServer() throws Exception {
		Replies replies = new Replies();
		WebSocketSession session = connect(replies);
		session.sendMessage(new TextMessage("Hello from client!"));
		assertThat(replies.next()).isEqualTo("Hello from server!");
		session.close(CloseStatus.NORMAL);
	}

	@Test
	void answersEveryMessageOnOneConnectionNotOnlyTheFirst() throws Exception {
		Replies replies = new Replies();
		WebSocketSession session = connect(replies);
		for (int i = 1; i <= 5; i++) {
			session.sendMessage(new TextMessage("message " + i));
			assertThat(replies.next()).as("reply to message %d", i).isEqualTo("Hello from server!");
		}
		session.close(CloseStatus.NORMAL);
	}

	@Test
	void twoHundredConcurrentConnectionsEachGetTheirReply() throws Exception {
		int connections = 200;
		List<Replies> replies = new ArrayList<>();
		List<CompletableFuture<WebSocketSession>> opening = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			Replies perConnection = new Replies();
			replies.add(perConnection);
			opening.add(this.client.execute(perConnection, new WebSocketHttpHeaders(), uri()));
		}
		List<WebSocketSession> sessions = new ArrayList<>();
		for (CompletableFuture<WebSocketSession> future : opening) {
			sessions.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		for (int i = 0; i < connections; i++) {
			sessions.get(i).sendMessage(new TextMessage("client " + i));
		}
		for (int i = 0; i < connections; i++) {
			assertThat(replies.get(i).next()).as("reply on connection %d", i).isEqualTo("Hello from server!");
		}
		for (WebSocketSession session : sessions) {
			session.close(CloseStatus.NORMAL);
		}
	}

	private WebSocketSession connect(Replies replies) throws Exception {
		return this.client.execute(replies, new WebSocketHttpHeaders(), uri())
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private URI uri() {
		return URI.create("ws://localhost:" + this.port + "/talk-to-server");
	}

}
