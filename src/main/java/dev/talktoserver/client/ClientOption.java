package dev.talktoserver.client;

/**
 * The options of {@code talk-to-server client}, in the order {@code --help} lists them: their names,
 * the label of their value (none for a switch), their default and their help. {@link Arguments} reads
 * a command line with them and {@link Help} prints them.
 */
enum ClientOption {

	MESSAGE("-m", "--message", "TEXT", null,
			"Send TEXT and print the reply; repeat to send several, one after another"),

	INTERACTIVE("-i", "--interactive", null, null,
			"Send each line read from standard input as it comes and print replies as they arrive; "
					+ "at the end of input (Ctrl-D), wait for the last replies and close"),

	ORIGIN(null, "--origin", "ORIGIN", null,
			"Origin header to send, as a browser would (e.g. http://localhost:8080)"),

	HEADER("-H", "--header", "NAME:VALUE", null, "Extra handshake header; repeatable"),

	TOKEN(null, "--token", "TOKEN", null,
			"Token to send as 'Authorization: Bearer TOKEN' (default: the " + ClientCommand.TOKEN_VARIABLE
					+ " environment variable, the safer choice: other users can see a command line)"),

	TOKEN_FILE(null, "--token-file", "FILE", null,
			"Read the token from FILE, and again before each reconnect, so that a token renewed there "
					+ "(a JWT that expires, refreshed by a sidecar or a cron job) is the one sent"),

	CA_CERT(null, "--ca-cert", "FILE", null,
			"For wss://, trust the certificates in this PEM file (the server's own, or its CA) "
					+ "instead of the Java runtime's CAs"),

	INSECURE("-k", "--insecure", null, null,
			"For wss://, skip the certificate and host name check (testing only: anyone on the path "
					+ "could read and change the conversation)"),

	CONNECT_TIMEOUT(null, "--connect-timeout", "DURATION", "5s",
			"How long the TCP connection and handshake may take (default: {default}; 500ms, 10s, 1m)"),

	REPLY_TIMEOUT(null, "--reply-timeout", "DURATION", "10s", "How long to wait for each reply (default: {default})"),

	RECONNECT(null, "--reconnect", null, null,
			"When the server goes away (close 1001), restarts (1012), is overloaded (1013) or the "
					+ "connection drops, connect again with exponential backoff and jitter, and send again the "
					+ "messages not yet answered. Delivery is then at least once: each message gets a reply, and a "
					+ "message whose reply was lost in flight gets two. Each reconnect is noted on stderr"),

	RECONNECT_ATTEMPTS(null, "--reconnect-attempts", "N", "10",
			"With --reconnect: attempts per outage before giving up with the exit status of the "
					+ "lost connection; counts again from 1 after each successful reconnect (default: {default})"),

	RECONNECT_DELAY(null, "--reconnect-delay", "DURATION", "500ms",
			"With --reconnect: the longest wait before the first attempt; it doubles with each "
					+ "attempt up to --reconnect-max-delay, and each wait is random up to it (default: {default})"),

	RECONNECT_MAX_DELAY(null, "--reconnect-max-delay", "DURATION", "15s",
			"With --reconnect: the cap on the wait between attempts (default: {default})"),

	VERBOSE("-v", "--verbose", null, null, "Show the stack trace of a failure"),

	HELP("-h", "--help", null, null, "Show this help message and exit."),

	VERSION("-V", "--version", null, null, "Print version information and exit.");

	private final String shortName;

	private final String longName;

	private final String label;

	private final String defaultValue;

	private final String description;

	ClientOption(String shortName, String longName, String label, String defaultValue, String description) {
		this.shortName = shortName;
		this.longName = longName;
		this.label = label;
		this.defaultValue = defaultValue;
		this.description = description;
	}

	/** {@code -m}, or null when the option has only a long name. */
	String shortName() {
		return this.shortName;
	}

	/** {@code --message}: the name errors give. */
	String longName() {
		return this.longName;
	}

	/** What {@code --help} calls the value ({@code TEXT}), or null for a switch, which takes none. */
	String label() {
		return this.label;
	}

	boolean takesValue() {
		return this.label != null;
	}

	/** The value when the option is not given, or null for none. */
	String defaultValue() {
		return this.defaultValue;
	}

	/** The help text, with {@code {default}} replaced by the default. */
	String description() {
		return (this.defaultValue != null) ? this.description.replace("{default}", this.defaultValue)
				: this.description;
	}

}
