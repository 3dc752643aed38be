package dev.talktoserver.client;

/**
 * A failure the client explains in one line on stderr and turns into its exit status. The message says
 * what happened and what to try next. A retryable failure is one that trying again can get past (the
 * server went away, or is busy, or the network dropped): with {@code --reconnect}, the client does.
 */
final class ClientFailure extends RuntimeException {

	private final ExitCode exitCode;

	private final boolean retryable;

	ClientFailure(ExitCode exitCode, String message) {
		this(exitCode, message, null);
	}

	ClientFailure(ExitCode exitCode, String message, Throwable cause) {
		this(exitCode, message, cause, false);
	}

	ClientFailure(ExitCode exitCode, String message, Throwable cause, boolean retryable) {
		super(message, cause);
		this.exitCode = exitCode;
		this.retryable = retryable;
	}

	ExitCode exitCode() {
		return this.exitCode;
	}

	boolean retryable() {
		return this.retryable;
	}

}
