package dev.talktoserver.client;

/**
 * What the client's exit status means. Scripts can tell a server that is down from one that said no,
 * from one that was too slow, from one that hung up.
 */
enum ExitCode {

	OK(0, "every message got its reply and the connection closed normally"),
	FAILED(1, "something else went wrong (run again with --verbose)"),
	USAGE(2, "the command line was wrong"),
	CANNOT_CONNECT(3, "no connection: the server is not running, or the host or port is wrong"),
	HANDSHAKE_REFUSED(4, "the server answered the handshake with an HTTP error (404, 403, 503, ...)"),
	TIMED_OUT(5, "no handshake within --connect-timeout, or no reply within --reply-timeout"),
	CLOSED_BY_SERVER(6, "the server closed the connection before every reply arrived, or with an error code");

	private final int code;

	private final String meaning;

	ExitCode(int code, String meaning) {
		this.code = code;
		this.meaning = meaning;
	}

	int code() {
		return this.code;
	}

	String meaning() {
		return this.meaning;
	}

}
