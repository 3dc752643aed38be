package dev.talktoserver.client;

import org.springframework.web.socket.CloseStatus;

/**
 * What the conversation waits for: something from the server, or a line from standard input. Both
 * arrive on other threads and are handled one at a time on the main thread, in order. What comes from
 * the server carries the number of the connection it came on: after a reconnect, what the old
 * connection still says is late news.
 */
sealed interface Event {

	/** Something a connection said, or how it ended. */
	sealed interface FromServer extends Event {

		int connection();

	}

	record Received(int connection, String text) implements FromServer {
	}

	record Closed(int connection, CloseStatus status) implements FromServer {
	}

	record TransportFailed(int connection, Throwable error) implements FromServer {
	}

	record Line(String text) implements Event {
	}

	record EndOfInput() implements Event {
	}

}
