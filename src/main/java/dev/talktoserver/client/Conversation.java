package dev.talktoserver.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.web.socket.CloseStatus;

/**
 * The client's side of the talk: sends messages, prints every reply as {@code Received: ...}, and
 * decides how the run ends. Events from the server and from standard input are handled here, on one
 * thread, in the order they arrived.
 * <p>
 * With {@link Reconnect} enabled, a connection lost to a server going away (1001), restarting (1012),
 * overloaded (1013) or to the network (no close frame) is replaced by a new one, and the messages
 * sent but not yet answered are sent again, oldest first: the server answers each message once and in
 * order, so those are the last ones sent. Each message then gets a reply at least once; a message whose
 * reply was on its way when the connection broke gets two.
 */
final class Conversation {

	/** How long to wait for the server's close frame after sending ours. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

	/** Close codes that say "try again", rather than "stop": going away, service restart, try again later. */
	private static final Set<Integer> RETRYABLE_CLOSES = Set.of(1001, 1006, 1012, 1013);

	/** How the server's 1008 for an expired JWT begins (its close statuses). */
	private static final String TOKEN_EXPIRED_REASON = "token expired";

	private final BlockingQueue<Event> events;

	private final Supplier<Connection> connector;

	private final URI url;

	private final PrintStream out;

	private final PrintStream err;

	private final Duration replyTimeout;

	private final Reconnect reconnect;

	/** The messages still waiting for their reply, oldest first. */
	private final Deque<Sent> awaitingReply = new ArrayDeque<>();

	private Connection connection;

	/** A message, and when it was last sent ({@link System#nanoTime()}). */
	private record Sent(String text, long at) {
	}

	/**
	 * @param connector opens a connection to {@code url} whose events go to {@code events}, or throws a
	 * {@link ClientFailure}
	 */
	Conversation(BlockingQueue<Event> events, Supplier<Connection> connector, URI url, PrintStream out,
			PrintStream err, Duration replyTimeout, Reconnect reconnect) {
		this.events = events;
		this.connector = connector;
		this.url = url;
		this.out = out;
		this.err = err;
		this.replyTimeout = replyTimeout;
		this.reconnect = reconnect;
	}

	/** Opens the first connection. It is not retried: a wrong address should fail at once. */
	void connect() {
		this.connection = this.connector.get();
	}

	/** Sends each message in turn, waiting for its reply before the next, then closes. */
	void exchange(List<String> messages) {
		for (String message : messages) {
			send(message);
			while (!this.awaitingReply.isEmpty()) {
				handleFromServer((Event.FromServer) next());
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
			else if (!handleFromServer((Event.FromServer) event)) {
				// The server closed normally while input was still open: the conversation ended before
				// the user ended it, which is said, and which the exit status shows.
				throw closedByServer(((Event.Closed) event).status());
			}
		}
		close();
	}

	private void send(String message) {
		this.awaitingReply.addLast(new Sent(message, System.nanoTime()));
		try {
			this.connection.send(message);
		}
		catch (ClientFailure failure) {
			recoverOrThrow(failure, failure.retryable(), failure.getMessage());
		}
	}

	/**
	 * Prints a reply, or ends the run (or, with reconnect, the connection) when the connection ended.
	 * @return false when the server closed normally with nothing left to wait for
	 */
	private boolean handleFromServer(Event.FromServer event) {
		if (event.connection() != this.connection.number()) {
			// Late news from a connection given up. A reply is still a reply, but its message was sent
			// again, so it does not count: the new connection's answer will.
			if (event instanceof Event.Received received) {
				this.out.println("Received: " + received.text());
			}
			return true;
		}
		if (event instanceof Event.Received received) {
			this.out.println("Received: " + received.text());
			this.awaitingReply.pollFirst();
			return true;
		}
		if (event instanceof Event.Closed closed) {
			CloseStatus status = closed.status();
			if (status.getCode() == CloseStatus.NORMAL.getCode() && this.awaitingReply.isEmpty()) {
				return false;
			}
			recoverOrThrow(closedByServer(status), RETRYABLE_CLOSES.contains(status.getCode()) || tokenExpired(status),
					"server closed with " + status.getCode() + reasonOf(status, " "));
			return true;
		}
		if (event instanceof Event.TransportFailed failed) {
			recoverOrThrow(new ClientFailure(ExitCode.CLOSED_BY_SERVER,
					"the connection broke: " + failed.error().getMessage() + "; try again", failed.error()), true,
					"the connection broke: " + failed.error().getMessage());
			return true;
		}
		throw new IllegalStateException("unexpected event " + event);
	}

	/** Reconnects when allowed and the failure is one that another connection can get past. */
	/**
	 * The server's close when the JWT of the connection expires: worth a reconnect, which sends the token
	 * anew (renewed, with --token-file; the same one otherwise, which then gets 401 and ends the run).
	 */
	private static boolean tokenExpired(CloseStatus status) {
		return status.getCode() == CloseStatus.POLICY_VIOLATION.getCode() && status.getReason() != null
				&& status.getReason().startsWith(TOKEN_EXPIRED_REASON);
	}

	private void recoverOrThrow(ClientFailure failure, boolean retryable, String why) {
		if (!this.reconnect.enabled() || !retryable) {
			throw failure;
		}
		this.connection.close(CloseStatus.GOING_AWAY);
		reconnect(failure, why);
	}

	/**
	 * Connects again, up to the configured number of attempts, and sends again what is still waiting
	 * for its reply. When every attempt fails, the run ends as the lost connection would have ended it.
	 */
	private void reconnect(ClientFailure lost, String why) {
		String lastProblem = why;
		for (int attempt = 1; attempt <= this.reconnect.attempts(); attempt++) {
			Duration delay = this.reconnect.delayBefore(attempt);
			this.err.printf(Locale.ROOT, "reconnecting (attempt %d of %d in %.1f s): %s%n", attempt,
					this.reconnect.attempts(), delay.toMillis() / 1000.0, lastProblem);
			pause(delay);
			try {
				this.connection = this.connector.get();
				this.err.println("reconnected to " + this.url
						+ (this.awaitingReply.isEmpty() ? "" : "; sending " + this.awaitingReply.size()
								+ " unanswered message(s) again"));
				sendAwaitingAgain();
				return;
			}
			catch (ClientFailure failure) {
				if (!failure.retryable()) {
					throw failure;
				}
				lastProblem = firstClause(failure.getMessage());
			}
		}
		throw new ClientFailure(lost.exitCode(), lost.getMessage() + " (gave up after " + this.reconnect.attempts()
				+ " reconnect attempt(s); the last: " + lastProblem + ")", lost);
	}

	/** Sends the unanswered messages on the new connection, in their order, as if sent now. */
	private void sendAwaitingAgain() {
		List<Sent> again = List.copyOf(this.awaitingReply);
		this.awaitingReply.clear();
		for (Sent sent : again) {
			this.awaitingReply.addLast(new Sent(sent.text(), System.nanoTime()));
		}
		for (Sent sent : again) {
			this.connection.send(sent.text());
		}
	}

	private static void pause(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ClientFailure(ExitCode.FAILED, "interrupted while waiting to reconnect", ex);
		}
	}

	/** The failure without its advice, for the one-line reconnect notes. */
	private static String firstClause(String message) {
		int semicolon = message.indexOf(';');
		return (semicolon > 0) ? message.substring(0, semicolon) : message;
	}

	/** The next event; fails the run when the oldest message has waited longer than the reply timeout. */
	private Event next() {
		try {
			Sent oldest = this.awaitingReply.peekFirst();
			if (oldest == null) {
				return this.events.take();
			}
			long waitNanos = oldest.at() + this.replyTimeout.toNanos() - System.nanoTime();
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
				if (event instanceof Event.Closed closed && closed.connection() == this.connection.number()) {
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
		String waiting = this.awaitingReply.isEmpty() ? ""
				: " before replying to " + this.awaitingReply.size() + " message(s)";
		String hint = switch (status.getCode()) {
			case 1000 -> "the server ended the conversation; connect again to go on";
			case 1001 -> "the server is going away; connect again in a moment, or use --reconnect";
			case 1003 -> "the server does not accept this kind of message";
			case 1006 -> "the connection dropped without a close frame; check the server and the network";
			case 1008 -> tokenExpired(status) ? "the token expired; get a new one, or keep it renewed in a "
					+ "--token-file and use --reconnect" : "the server's policy refused this connection or message rate";
			case 1009 -> "the message was too big for the server; send smaller messages";
			case 1011 -> "the server hit an error; see its log";
			case 1012, 1013 -> "the server is restarting or overloaded; try again shortly, or use --reconnect";
			default -> "see the server's log";
		};
		String reason = reasonOf(status, "");
		return new ClientFailure(ExitCode.CLOSED_BY_SERVER, "the server closed the connection with "
				+ status.getCode() + (reason.isEmpty() ? "" : " (" + reason + ")") + waiting + ": " + hint);
	}

	/** The close reason with {@code prefix} before it, or nothing when the server gave none. */
	private static String reasonOf(CloseStatus status, String prefix) {
		return (status.getReason() != null && !status.getReason().isEmpty()) ? prefix + status.getReason() : "";
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
