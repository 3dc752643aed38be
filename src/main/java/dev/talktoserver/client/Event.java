package dev.talktoserver.client;

import org.springframework.web.socket.CloseStatus;

/**
 * What the conversation waits for: something from the server, or a line from standard input. Both
 * arrive on other threads and are handled one at a time on the main thread, in order.
 */
sealed interface Event {

	record Received(String text) implements Event {
	}

	record Closed(CloseStatus status) implements Event {
	}

	record TransportFailed(Throwable error) implements Event {
	}

	record Line(String text) implements Event {
	}

	record EndOfInput() implements Event {
	}

}
