package dev.talktoserver.client;

/**
 * A failure the client explains in one line on stderr and turns into its exit status. The message says
 * what happened and what to try next.
 */
final class ClientFailure extends RuntimeException {

	private final ExitCode exitCode;

	ClientFailure(ExitCode exitCode, String message) {
		this(exitCode, message, null);
	}

	ClientFailure(ExitCode exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
	}

	ExitCode exitCode() {
		return this.exitCode;
	}

}
