package dev.talktoserver.client;

/**
 * A command line the client cannot run: an unknown option, a value that is not one, options that do not
 * go together. It exits with {@link ExitCode#USAGE}, and its message is followed by where the help is.
 */
final class UsageError extends RuntimeException {

	UsageError(String message) {
		super(message);
	}

}
