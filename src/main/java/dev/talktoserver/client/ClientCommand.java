package dev.talktoserver.client;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

import javax.net.ssl.SSLContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.http.HttpHeaders;
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
				"      --reconnect-attempts 20 --reconnect-delay 1s",
				"  TALK_TOKEN=$(cat token.txt) java -jar talk-to-server.jar client \\",
				"      wss://localhost:8443/talk-to-server --ca-cert server.pem",
				"  java -jar talk-to-server.jar client wss://localhost:8443/talk-to-server -k" })
final class ClientCommand implements Callable<Integer> {

	static final String DEFAULT_URL = "ws://localhost:8080/talk-to-server";

	static final String DEFAULT_MESSAGE = "Hello from client!";

	static final String TOKEN_VARIABLE = "TALK_TOKEN";

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

	@Option(names = "--token", paramLabel = "TOKEN",
			description = "Token to send as 'Authorization: Bearer TOKEN' (default: the " + TOKEN_VARIABLE
					+ " environment variable, the safer choice: other users can see a command line)")
	private String token;

	@Option(names = "--ca-cert", paramLabel = "FILE",
			description = "For wss://, trust the certificates in this PEM file (the server's own, or its CA) "
					+ "instead of the Java runtime's CAs")
	private Path caCert;

	@Option(names = { "-k", "--insecure" },
			description = "For wss://, skip the certificate and host name check (testing only: anyone on the path "
					+ "could read and change the conversation)")
	private boolean insecure;

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

	private final Map<String, String> environment;

	ClientCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
		this.in = in;
		this.out = out;
		this.err = err;
		this.environment = environment;
	}

	boolean verbose() {
		return this.verbose;
	}

	@Override
	public Integer call() {
		validate();
		BlockingQueue<Event> events = new LinkedBlockingQueue<>();
		WebSocketHttpHeaders headers = handshakeHeaders();
		SSLContext sslContext = sslContext();
		Conversation conversation = new Conversation(events,
				() -> Connection.open(this.url, headers, sslContext, this.connectTimeout, events), this.url, this.out,
				this.err, this.replyTimeout, reconnectPolicy());
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
		if (this.insecure && this.caCert != null) {
			throw new ParameterException(this.spec.commandLine(),
					"--ca-cert and --insecure do not go together: --ca-cert checks the certificate, --insecure does not");
		}
	}

	private boolean secure() {
		return "wss".equalsIgnoreCase(this.url.getScheme());
	}

	/** Whom a wss:// connection trusts; null for the Java runtime's CA certificates. */
	private SSLContext sslContext() {
		if (!secure()) {
			return null;
		}
		if (this.insecure) {
			this.err.println("warning: --insecure: the server's certificate is not checked; anyone on the path "
					+ "could read and change this conversation");
			return ClientTls.trustingAnyone();
		}
		return (this.caCert != null) ? ClientTls.trusting(this.caCert) : null;
	}

	/** The token of --token, or else of the environment; never printed, not even with --verbose. */
	private String token() {
		String token = (this.token != null) ? this.token : this.environment.get(TOKEN_VARIABLE);
		if (token == null || token.isBlank()) {
			return null;
		}
		token = token.strip();
		if (token.chars().anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c))) {
			String source = (this.token != null) ? "--token" : TOKEN_VARIABLE;
			throw new ParameterException(this.spec.commandLine(),
					source + " has spaces or control characters in it; a token is one word");
		}
		return token;
	}

	private static boolean isLoopback(String host) {
		return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]")
				|| host.equals("::1");
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
		String token = token();
		if (token != null) {
			if (result.containsHeader(HttpHeaders.AUTHORIZATION)) {
				throw new ParameterException(this.spec.commandLine(),
						"a token and --header 'Authorization: ...' do not go together: choose one");
			}
			if (!secure() && !isLoopback(this.url.getHost())) {
				this.err.println("warning: the token goes to " + this.url.getHost()
						+ " unencrypted over ws://; use wss:// so that no one on the path can read it");
			}
			result.setBearerAuth(token);
		}
		return result;
	}

}
