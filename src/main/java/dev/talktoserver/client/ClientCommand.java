package dev.talktoserver.client;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.web.socket.WebSocketHttpHeaders;

/**
 * The options of {@code talk-to-server client}, and what a run does with them.
 */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = ClientVersion.class,
		sortOptions = false, synopsisHeading = "",
		customSynopsis = "Usage: java -jar talk-to-server.jar client [URL] [OPTIONS]%n",
		description = { "Talks to a WebSocket server that answers text, such as talk-to-server: sends",
				"each message, prints each reply as 'Received: TEXT', then closes with 1000.",
				"With no message options it sends 'Hello from client!', like the blog's client." },
		parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
		exitCodeListHeading = "%nExit status:%n", footerHeading = "%nExamples:%n",
		usageHelpAutoWidth = true,
		footer = { "  java -jar talk-to-server.jar client -m hi -m again",
				"  java -jar talk-to-server.jar client ws://127.0.0.1:9000/talk-to-server",
				"  java -jar talk-to-server.jar client -i          # type lines; Ctrl-D ends",
				"  printf 'one\\ntwo\\n' | java -jar talk-to-server.jar client -i",
				"  java -jar talk-to-server.jar client --origin http://localhost:8080 \\",
				"      -H 'X-Trace: 42'",
				"  java -jar talk-to-server.jar client -i --reconnect  # through restarts",
				"  tail -f events.txt | java -jar talk-to-server.jar client -i --reconnect \\",
				"      --reconnect-attempts 20 --reconnect-delay 1s" })
final class ClientCommand implements Callable<Integer> {

	static final String DEFAULT_URL = "ws://localhost:8080/talk-to-server";

	static final String DEFAULT_MESSAGE = "Hello from client!";

	@Spec
	private CommandSpec spec;

	@Parameters(index = "0", arity = "0..1", paramLabel = "URL", defaultValue = DEFAULT_URL,
			description = "ws:// or wss:// address of the endpoint (default: ${DEFAULT-VALUE})")
	private URI url;

	@Option(names = { "-m", "--message" }, paramLabel = "TEXT",
			description = "Send TEXT and print the reply; repeat to send several, one after another")
	private List<String> messages = new ArrayList<>();

	@Option(names = { "-i", "--interactive" },
			description = "Send each line read from standard input as it comes and print replies as they arrive; "
					+ "at the end of input (Ctrl-D), wait for the last replies and close")
	private boolean interactive;

	@Option(names = "--origin", paramLabel = "ORIGIN",
			description = "Origin header to send, as a browser would (e.g. http://localhost:8080)")
	private String origin;

	@Option(names = { "-H", "--header" }, paramLabel = "NAME:VALUE",
			description = "Extra handshake header; repeatable")
	private List<String> headers = new ArrayList<>();

	@Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
			converter = DurationConverter.class,
			description = "How long the TCP connection and handshake may take (default: ${DEFAULT-VALUE}; "
					+ "500ms, 10s, 1m)")
	private Duration connectTimeout;

	@Option(names = "--reply-timeout", paramLabel = "DURATION", defaultValue = "10s",
			converter = DurationConverter.class,
			description = "How long to wait for each reply (default: ${DEFAULT-VALUE})")
	private Duration replyTimeout;

	@Option(names = "--reconnect",
			description = "When the server goes away (close 1001), restarts (1012), is overloaded (1013) or the "
					+ "connection drops, connect again with exponential backoff and jitter, and send again the "
					+ "messages not yet answered. Delivery is then at least once: each message gets a reply, and a "
					+ "message whose reply was lost in flight gets two. Each reconnect is noted on stderr")
	private boolean reconnect;

	@Option(names = "--reconnect-attempts", paramLabel = "N", defaultValue = "10",
			description = "With --reconnect: attempts per outage before giving up with the exit status of the "
					+ "lost connection; counts again from 1 after each successful reconnect (default: ${DEFAULT-VALUE})")
	private int reconnectAttempts;

	@Option(names = "--reconnect-delay", paramLabel = "DURATION", defaultValue = "500ms",
			converter = DurationConverter.class,
			description = "With --reconnect: the longest wait before the first attempt; it doubles with each "
					+ "attempt up to --reconnect-max-delay, and each wait is random up to it (default: ${DEFAULT-VALUE})")
	private Duration reconnectDelay;

	@Option(names = "--reconnect-max-delay", paramLabel = "DURATION", defaultValue = "15s",
			converter = DurationConverter.class,
			description = "With --reconnect: the cap on the wait between attempts (default: ${DEFAULT-VALUE})")
	private Duration reconnectMaxDelay;

	@Option(names = { "-v", "--verbose" }, description = "Show the stack trace of a failure")
	private boolean verbose;

	private final InputStream in;

	private final PrintStream out;

	private final PrintStream err;

	ClientCommand(InputStream in, PrintStream out, PrintStream err) {
		this.in = in;
		this.out = out;
		this.err = err;
	}

	boolean verbose() {
		return this.verbose;
	}

	@Override
	public Integer call() {
		validate();
		BlockingQueue<Event> events = new LinkedBlockingQueue<>();
		WebSocketHttpHeaders headers = handshakeHeaders();
		Conversation conversation = new Conversation(events,
				() -> Connection.open(this.url, headers, this.connectTimeout, events), this.url, this.out, this.err,
				this.replyTimeout, reconnectPolicy());
		conversation.connect();
		if (this.interactive) {
			if (Terminal.isInteractive()) {
				this.err.println("Connected to " + this.url + ". Type a message and press Enter; Ctrl-D to finish.");
			}
			conversation.interact(new BufferedReader(new InputStreamReader(this.in, StandardCharsets.UTF_8)));
		}
		else {
			conversation.exchange(this.messages.isEmpty() ? List.of(DEFAULT_MESSAGE) : this.messages);
		}
		return ExitCode.OK.code();
	}

	private void validate() {
		String scheme = this.url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))
				|| this.url.getHost() == null) {
			throw new ParameterException(this.spec.commandLine(),
					"'" + this.url + "' is not a WebSocket URL: use ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
		}
		if (this.interactive && !this.messages.isEmpty()) {
			throw new ParameterException(this.spec.commandLine(),
					"--message and --interactive do not go together: choose one");
		}
	}

	private Reconnect reconnectPolicy() {
		if (!this.reconnect) {
			return Reconnect.NEVER;
		}
		if (this.reconnectAttempts < 1) {
			throw new ParameterException(this.spec.commandLine(),
					"--reconnect-attempts must be at least 1 (it was " + this.reconnectAttempts + ")");
		}
		if (this.reconnectMaxDelay.compareTo(this.reconnectDelay) < 0) {
			throw new ParameterException(this.spec.commandLine(), "--reconnect-max-delay (" + this.reconnectMaxDelay
					.toMillis() + " ms) is less than --reconnect-delay (" + this.reconnectDelay.toMillis() + " ms)");
		}
		return new Reconnect(this.reconnectAttempts, this.reconnectDelay, this.reconnectMaxDelay);
	}

	private WebSocketHttpHeaders handshakeHeaders() {
		WebSocketHttpHeaders result = new WebSocketHttpHeaders();
		for (String header : this.headers) {
			int colon = header.indexOf(':');
			if (colon <= 0) {
				throw new ParameterException(this.spec.commandLine(),
						"--header '" + header + "' is not NAME:VALUE (for example --header 'X-Trace: 42')");
			}
			result.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
		}
		if (this.origin != null) {
			result.setOrigin(this.origin);
		}
		return result;
	}

}
