package dev.talktoserver.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point of {@code java -jar talk-to-server.jar client ...}: parses the command line, runs the
 * conversation, and turns the outcome into one line on stderr and an exit status ({@link ExitCode}).
 */
public final class TalkClient {

	private TalkClient() {
	}

	/** Runs with the process's standard streams; logging stays quiet unless asked for. */
	public static int run(String[] args) {
		ClientLogging.configure();
		return run(args, System.in, System.out, System.err);
	}

	static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
		return run(args, System.getenv(), in, out, err);
	}

	/** Runs with {@code environment} in place of the process's, for {@code TALK_TOKEN}. */
	static int run(String[] args, Map<String, String> environment, InputStream in, PrintStream out, PrintStream err) {
		boolean verbose = false;
		try {
			Arguments arguments = Arguments.parse(args);
			verbose = arguments.has(ClientOption.VERBOSE);
			if (arguments.has(ClientOption.HELP)) {
				out.print(Help.text());
				return ExitCode.OK.code();
			}
			if (arguments.has(ClientOption.VERSION)) {
				out.println(ClientVersion.text());
				return ExitCode.OK.code();
			}
			return new ClientCommand(arguments, in, out, err, environment).call();
		}
		catch (UsageError ex) {
			err.println("error: " + ex.getMessage());
			err.println("Try 'java -jar talk-to-server.jar client --help' for the options.");
			return ExitCode.USAGE.code();
		}
		catch (RuntimeException ex) {
			ExitCode exitCode = (ex instanceof ClientFailure failure) ? failure.exitCode() : ExitCode.FAILED;
			err.println("error: " + ((ex instanceof ClientFailure) ? ex.getMessage() : ex.toString()));
			if (verbose) {
				ex.printStackTrace(err);
			}
			return exitCode.code();
		}
		finally {
			out.flush();
		}
	}

}
