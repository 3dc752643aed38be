package dev.talktoserver.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import javax.net.ssl.SSLContext;

import org.apache.tomcat.websocket.WsWebSocketContainer;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * What a run of {@code talk-to-server client} does with its {@link Arguments}: checks that they go
 * together, connects, and holds the conversation.
 */
final class ClientCommand {

	static final String DEFAULT_URL = "ws://localhost:8080/talk-to-server";

	static final String DEFAULT_MESSAGE = "Hello from client!";

	static final String TOKEN_VARIABLE = "TALK_TOKEN";

	private final URI url;

	private final List<String> messages;

	private final boolean interactive;

	private final String origin;

	private final List<String> headers;

	private final String token;

	/** Where the token is read from, again for each connection; null without --token-file. */
	private final Path tokenFile;

	private final Path caCert;

	private final boolean insecure;

	private final Duration connectTimeout;

	private final Duration replyTimeout;

	private final boolean reconnect;

	private final int reconnectAttempts;

	private final Duration reconnectDelay;

	private final Duration reconnectMaxDelay;

	private final InputStream in;

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, String> environment;

	/** Reads every option's value; a value that is not one (a duration, a number) fails here. */
	ClientCommand(Arguments arguments, InputStream in, PrintStream out, PrintStream err,
			Map<String, String> environment) {
		this.url = arguments.url(DEFAULT_URL);
		this.messages = arguments.all(ClientOption.MESSAGE);
		this.interactive = arguments.has(ClientOption.INTERACTIVE);
		this.origin = arguments.value(ClientOption.ORIGIN);
		this.headers = arguments.all(ClientOption.HEADER);
		this.token = arguments.value(ClientOption.TOKEN);
		String tokenFile = arguments.value(ClientOption.TOKEN_FILE);
		this.tokenFile = (tokenFile != null) ? Path.of(tokenFile) : null;
		String caCert = arguments.value(ClientOption.CA_CERT);
		this.caCert = (caCert != null) ? Path.of(caCert) : null;
		this.insecure = arguments.has(ClientOption.INSECURE);
		this.connectTimeout = arguments.duration(ClientOption.CONNECT_TIMEOUT);
		this.replyTimeout = arguments.duration(ClientOption.REPLY_TIMEOUT);
		this.reconnect = arguments.has(ClientOption.RECONNECT);
		this.reconnectAttempts = arguments.integer(ClientOption.RECONNECT_ATTEMPTS);
		this.reconnectDelay = arguments.duration(ClientOption.RECONNECT_DELAY);
		this.reconnectMaxDelay = arguments.duration(ClientOption.RECONNECT_MAX_DELAY);
		this.in = in;
		this.out = out;
		this.err = err;
		this.environment = environment;
	}

	/** Holds the conversation; every way it can fail is a {@link ClientFailure}. */
	int call() {
		validate();
		BlockingQueue<Event> events = new LinkedBlockingQueue<>();
		WebSocketHttpHeaders headers = handshakeHeaders();
		SSLContext sslContext = sslContext();
		Reconnect reconnect = reconnectPolicy();
		// Tomcat's container is made here rather than found by jakarta.websocket.ContainerProvider, whose
		// ServiceLoader searches every jar of the archive; and it is destroyed at the end, so that its I/O
		// thread has left epoll before the JVM exits (the JVM waits 300 ms for a thread in native code).
		WsWebSocketContainer container = new WsWebSocketContainer();
		try {
			StandardWebSocketClient client = Connection.client(container, sslContext, this.connectTimeout);
			Conversation conversation = new Conversation(events,
					() -> Connection.open(client, this.url, withTokenRenewed(headers), this.connectTimeout, events),
					this.url, this.out,
					this.err, this.replyTimeout, reconnect);
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
		finally {
			container.destroy();
		}
	}

	private void validate() {
		String scheme = this.url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))
				|| this.url.getHost() == null) {
			throw new UsageError("'" + this.url + "' is not a WebSocket URL: use ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
		}
		if (this.interactive && !this.messages.isEmpty()) {
			throw new UsageError("--message and --interactive do not go together: choose one");
		}
		if (this.insecure && this.caCert != null) {
			throw new UsageError("--ca-cert and --insecure do not go together: --ca-cert checks the certificate, "
					+ "--insecure does not");
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

	/**
	 * The token of --token, of --token-file, or else of the environment; never printed, not even with
	 * --verbose.
	 */
	private String token() {
		if (this.token != null && this.tokenFile != null) {
			throw new UsageError("--token and --token-file do not go together: choose one");
		}
		if (this.tokenFile != null) {
			return tokenFromFile();
		}
		return oneWord((this.token != null) ? this.token : this.environment.get(TOKEN_VARIABLE),
				(this.token != null) ? "--token" : TOKEN_VARIABLE);
	}

	private String tokenFromFile() {
		String token;
		try {
			token = Files.readString(this.tokenFile, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UsageError("--token-file " + this.tokenFile + " cannot be read (" + ex.getClass().getSimpleName()
					+ "); give a file that holds the token");
		}
		String word = oneWord(token, "--token-file " + this.tokenFile);
		if (word == null) {
			throw new UsageError("--token-file " + this.tokenFile + " is empty; it should hold the token");
		}
		return word;
	}

	private static String oneWord(String token, String source) {
		if (token == null || token.isBlank()) {
			return null;
		}
		token = token.strip();
		if (token.chars().anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c))) {
			throw new UsageError(source + " has spaces or control characters in it; a token is one word");
		}
		return token;
	}

	/**
	 * The handshake headers for the next connection: with --token-file, with the token the file holds
	 * now, or the one sent last when it cannot be read (the next reconnect reads it again).
	 */
	private WebSocketHttpHeaders withTokenRenewed(WebSocketHttpHeaders headers) {
		if (this.tokenFile == null) {
			return headers;
		}
		try {
			headers.setBearerAuth(tokenFromFile());
		}
		catch (UsageError ex) {
			this.err.println("warning: " + ex.getMessage() + "; sending the token read before");
		}
		return headers;
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
			throw new UsageError("--reconnect-attempts must be at least 1 (it was " + this.reconnectAttempts + ")");
		}
		if (this.reconnectMaxDelay.compareTo(this.reconnectDelay) < 0) {
			throw new UsageError("--reconnect-max-delay (" + this.reconnectMaxDelay
					.toMillis() + " ms) is less than --reconnect-delay (" + this.reconnectDelay.toMillis() + " ms)");
		}
		return new Reconnect(this.reconnectAttempts, this.reconnectDelay, this.reconnectMaxDelay);
	}

	private WebSocketHttpHeaders handshakeHeaders() {
		WebSocketHttpHeaders result = new WebSocketHttpHeaders();
		for (String header : this.headers) {
			int colon = header.indexOf(':');
			if (colon <= 0) {
				throw new UsageError("--header '" + header + "' is not NAME:VALUE (for example --header 'X-Trace: 42')");
			}
			result.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
		}
		if (this.origin != null) {
			result.setOrigin(this.origin);
		}
		String token = token();
		if (token != null) {
			if (result.containsHeader(HttpHeaders.AUTHORIZATION)) {
				throw new UsageError("a token and --header 'Authorization: ...' do not go together: choose one");
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
