package dev.talktoserver.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine;

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
		ClientCommand command = new ClientCommand(in, out, err, environment);
		CommandLine commandLine = new CommandLine(command);
		commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			err.println("error: " + ex.getMessage());
			err.println("Try 'java -jar talk-to-server.jar client --help' for the options.");
			return ExitCode.USAGE.code();
		});
		commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
			ExitCode exitCode = (ex instanceof ClientFailure failure) ? failure.exitCode() : ExitCode.FAILED;
			err.println("error: " + ((ex instanceof ClientFailure) ? ex.getMessage() : ex.toString()));
			if (command.verbose()) {
				ex.printStackTrace(err);
			}
			return exitCode.code();
		});
		return commandLine.execute(args);
	}

}
