package dev.talktoserver.client;

import java.util.List;

/**
 * The text of {@code client --help}: what the client does, its argument and {@link ClientOption}s,
 * what its exit status means ({@link ExitCode}) and examples to paste, wrapped to 80 columns.
 */
final class Help {

	private static final String COMMAND = "java -jar talk-to-server.jar client";

	/** Lines stay shorter than this, so that an 80-column terminal does not wrap them again. */
	private static final int WIDTH = 80;

	/** Where the help of an option starts; its second and later lines start two columns further in. */
	private static final int DESCRIPTION_COLUMN = 28;

	/** Where the meaning of an exit status starts. */
	private static final int EXIT_MEANING_COLUMN = 8;

	private static final List<String> ABOUT = List.of(
			"Talks to a WebSocket server that answers text, such as talk-to-server: sends",
			"each message, prints each reply as 'Received: TEXT', then closes with 1000.",
			"With no message options it sends 'Hello from client!', like the blog's client.");

	private static final List<String> EXAMPLES = List.of(COMMAND + " -m hi -m again",
			COMMAND + " ws://127.0.0.1:9000/talk-to-server",
			COMMAND + " -i          # type lines; Ctrl-D ends", "printf 'one\\ntwo\\n' | " + COMMAND + " -i",
			COMMAND + " --origin http://localhost:8080 \\", "    -H 'X-Trace: 42'",
			COMMAND + " -i --reconnect  # through restarts", "tail -f events.txt | " + COMMAND + " -i --reconnect \\",
			"    --reconnect-attempts 20 --reconnect-delay 1s", "TALK_TOKEN=$(cat token.txt) " + COMMAND + " \\",
			"    wss://localhost:8443/talk-to-server --ca-cert server.pem",
			COMMAND + " wss://localhost:8443/talk-to-server -k",
			COMMAND + " -i --reconnect \\", "    --token-file /run/secrets/talk-jwt wss://talk.example.org/talk-to-server");

	private Help() {
	}

	static String text() {
		StringBuilder help = new StringBuilder();
		help.append("Usage: ").append(COMMAND).append(" [URL] [OPTIONS]\n\n");
		ABOUT.forEach((line) -> help.append(line).append('\n'));
		help.append("\nArguments:\n");
		entry(help, "      [URL]",
				"ws:// or wss:// address of the endpoint (default: " + ClientCommand.DEFAULT_URL + ")");
		help.append("\nOptions:\n");
		for (ClientOption option : ClientOption.values()) {
			String names = (option.shortName() != null) ? "  " + option.shortName() + ", " : "      ";
			names += option.longName() + (option.takesValue() ? "=" + option.label() : "");
			entry(help, names, option.description());
		}
		help.append("\nExit status:\n");
		for (ExitCode exitCode : ExitCode.values()) {
			wrap(help, "    " + exitCode.code(), EXIT_MEANING_COLUMN, exitCode.meaning());
		}
		help.append("\nExamples:\n");
		EXAMPLES.forEach((line) -> help.append("  ").append(line).append('\n'));
		return help.toString();
	}

	/** Names in the first column, help in the second, on a line of its own when the names reach it. */
	private static void entry(StringBuilder help, String names, String description) {
		if (names.length() + 2 > DESCRIPTION_COLUMN) {
			help.append(names).append('\n');
			names = "";
		}
		wrap(help, names, DESCRIPTION_COLUMN, description);
	}

	/** {@code text} from {@code column} on, after {@code start}, wrapped between words. */
	private static void wrap(StringBuilder help, String start, int column, String text) {
		StringBuilder line = new StringBuilder(start);
		pad(line, column);
		int empty = column;
		for (String word : text.split(" ")) {
			if (line.length() > empty && line.length() + 1 + word.length() >= WIDTH) {
				help.append(line).append('\n');
				line.setLength(0);
				empty = column + 2;
				pad(line, empty);
			}
			if (line.length() > empty) {
				line.append(' ');
			}
			line.append(word);
		}
		help.append(line).append('\n');
	}

	private static void pad(StringBuilder line, int column) {
		while (line.length() < column) {
			line.append(' ');
		}
	}

}
