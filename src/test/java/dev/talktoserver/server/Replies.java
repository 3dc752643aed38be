package dev.talktoserver.server;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** Collects the text replies on one connection of Spring's client. */
final class Replies extends TextWebSocketHandler {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.texts.add(message.getPayload());
	}

	String next() throws InterruptedException {
		String text = this.texts.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(text).as("a reply within %s", TIMEOUT).isNotNull();
		return text;
	}

}
