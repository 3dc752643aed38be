package dev.talktoserver.client;

/**
 * What the client's exit status means. Scripts can tell a server that is down from one that said no,
 * from one that was too slow, from one that hung up.
 */
enum ExitCode {

	OK(0, "every message got its reply and the connection closed normally"),
	FAILED(1, "something else went wrong (run again with --verbose)"),
	USAGE(2, "the command line was wrong"),
	CANNOT_CONNECT(3, "cannot connect: server not running, wrong host or port, or its certificate not trusted"),
	HANDSHAKE_REFUSED(4, "handshake refused with an HTTP status (404 path, 401 token, 403 origin, 429 too many from this client, 503 busy)"),
	TIMED_OUT(5, "no handshake within --connect-timeout, or no reply in --reply-timeout"),
	CLOSED_BY_SERVER(6, "the server closed before every reply came, with an error code, or while "
			+ "--interactive input was still open (with --reconnect: and every reconnect attempt failed)");

	private final int code;

	private final String meaning;

	ExitCode(int code, String meaning) {
		this.code = code;
		this.meaning = meaning;
	}

	int code() {
		return this.code;
	}

	/** What it means, for {@code --help}. */
	String meaning() {
		return this.meaning;
	}

}
