package dev.talktoserver.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.CloseStatus;

/**
 * The client's side of the talk: sends messages, prints every reply as {@code Received: ...}, and
 * decides how the run ends. Events from the server and from standard input are handled here, on one
 * thread, in the order they arrived.
 */
final class Conversation {

	/** How long to wait for the server's close frame after sending ours. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

	private final BlockingQueue<Event> events;

	private final Connection connection;

	private final PrintStream out;

	private final Duration replyTimeout;

	/** When each message still waiting for its reply was sent ({@link System#nanoTime()}), oldest first. */
	private final Deque<Long> awaitingReply = new ArrayDeque<>();

	Conversation(BlockingQueue<Event> events, Connection connection, PrintStream out, Duration replyTimeout) {
		this.events = events;
		this.connection = connection;
		this.out = out;
		this.replyTimeout = replyTimeout;
	}

	/** Sends each message in turn, waiting for its reply before the next, then closes. */
	void exchange(List<String> messages) {
		for (String message : messages) {
			send(message);
			while (!this.awaitingReply.isEmpty()) {
				handleFromServer(next());
			}
		}
		close();
	}

	/**
	 * Sends each line of {@code input} as it is read and prints replies as they arrive; at the end of
	 * input, waits for the replies still due, then closes.
	 */
	void interact(BufferedReader input) {
		readInBackground(input);
		boolean inputOpen = true;
		while (inputOpen || !this.awaitingReply.isEmpty()) {
			Event event = next();
			if (event instanceof Event.Line line) {
				send(line.text());
			}
			else if (event instanceof Event.EndOfInput) {
				inputOpen = false;
			}
			else if (!handleFromServer(event)) {
				return;
			}
		}
		close();
	}

	private void send(String message) {
		this.connection.send(message);
		this.awaitingReply.addLast(System.nanoTime());
	}

	/**
	 * Prints a reply, or ends the run when the connection ended.
	 * @return false when the server closed normally with nothing left to wait for
	 */
	private boolean handleFromServer(Event event) {
		if (event instanceof Event.Received received) {
			this.out.println("Received: " + received.text());
			this.awaitingReply.pollFirst();
			return true;
		}
		if (event instanceof Event.Closed closed) {
			if (closed.status().getCode() == CloseStatus.NORMAL.getCode() && this.awaitingReply.isEmpty()) {
				return false;
			}
			throw closedByServer(closed.status());
		}
		if (event instanceof Event.TransportFailed failed) {
			throw new ClientFailure(ExitCode.CLOSED_BY_SERVER,
					"the connection broke: " + failed.error().getMessage() + "; try again", failed.error());
		}
		throw new IllegalStateException("unexpected event " + event);
	}

	/** The next event; fails the run when the oldest message has waited longer than the reply timeout. */
	private Event next() {
		try {
			Long oldest = this.awaitingReply.peekFirst();
			if (oldest == null) {
				return this.events.take();
			}
			long waitNanos = oldest + this.replyTimeout.toNanos() - System.nanoTime();
			Event event = this.events.poll(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
			if (event == null) {
				throw new ClientFailure(ExitCode.TIMED_OUT, "no reply within " + this.replyTimeout.toMillis()
						+ " ms; the server may be overloaded; raise --reply-timeout to wait longer");
			}
			return event;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ClientFailure(ExitCode.FAILED, "interrupted", ex);
		}
	}

	/** Closes with 1000 and waits, briefly, for the server's close frame, printing any late reply. */
	private void close() {
		this.connection.close(CloseStatus.NORMAL);
		long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
		try {
			Event event;
			while ((event = this.events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
				if (event instanceof Event.Closed) {
					return;
				}
				if (event instanceof Event.Received received) {
					this.out.println("Received: " + received.text());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private ClientFailure closedByServer(CloseStatus status) {
		String reason = (status.getReason() != null && !status.getReason().isEmpty())
				? " (" + status.getReason() + ")" : "";
		String waiting = this.awaitingReply.isEmpty() ? ""
				: " before replying to " + this.awaitingReply.size() + " message(s)";
		String hint = switch (status.getCode()) {
			case 1001 -> "the server is going away; connect again in a moment";
			case 1003 -> "the server does not accept this kind of message";
			case 1006 -> "the connection dropped without a close frame; check the server and the network";
			case 1008 -> "the server's policy refused this connection or message rate";
			case 1009 -> "the message was too big for the server; send smaller messages";
			case 1011 -> "the server hit an error; see its log";
			case 1012, 1013 -> "the server is restarting or overloaded; try again shortly";
			default -> "see the server's log";
		};
		return new ClientFailure(ExitCode.CLOSED_BY_SERVER,
				"the server closed the connection with " + status.getCode() + reason + waiting + ": " + hint);
	}

	private void readInBackground(BufferedReader input) {
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = input.readLine()) != null) {
					this.events.add(new Event.Line(line));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				this.events.add(new Event.EndOfInput());
			}
		}, "stdin-reader");
		reader.setDaemon(true);
		reader.start();
	}

}
