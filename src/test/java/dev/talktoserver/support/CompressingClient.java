package dev.talktoserver.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A compressing WebSocket client that nobody on this project wrote, run as a process of its own: Node's
 * {@code ws} from npm, or Debian's {@code python3-websockets}. Each runs a script in
 * {@code src/test/clients/} that sends the messages a broken inflater once cut short to {@code /echo},
 * checks every echo byte for byte, talks to {@code /talk-to-server}, and prints a line per check.
 */
public enum CompressingClient {

	/** Node's {@code ws} 8, compression on by default; installed by {@code npm ci --prefix src/test/clients}. */
	NODE_WS("node", "compressing-client.js"),

	/** Debian's {@code python3-websockets}, compression on by default; {@code apt-get install python3-websockets}. */
	PYTHON_WEBSOCKETS("/usr/bin/python3", "compressing_client.py");

	private static final Path CLIENTS = Path.of("src/test/clients");

	/** Longer than a script needs (a few seconds), so that only a hung one reaches it. */
	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private final String program;

	private final String script;

	CompressingClient(String program, String script) {
		this.program = program;
		this.script = script;
	}

	/** What the script printed, and whether every check passed. */
	public record Result(boolean passed, String output) {
	}

	/**
	 * Runs the client against {@code ws://127.0.0.1:port}, expecting the server to accept compression or
	 * not. Skips the calling test when the client is not installed, or fails it under {@code CI=true}.
	 */
	public Result talkTo(int port, boolean expectCompression) throws IOException, InterruptedException {
		assumeInstalled();
		List<String> command = new ArrayList<>(List.of(this.program, CLIENTS.resolve(this.script).toString(),
				"ws://127.0.0.1:" + port, expectCompression ? "on" : "off"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Result(false, "no exit within " + TIMEOUT + "\n" + new String(output, StandardCharsets.UTF_8));
		}
		return new Result(process.exitValue() == 0, new String(output, StandardCharsets.UTF_8));
	}

	private void assumeInstalled() throws IOException, InterruptedException {
		if (this == NODE_WS) {
			boolean present = Files.isDirectory(CLIENTS.resolve("node_modules/ws")) && runs("node", "--version");
			RequiredTools.assumePresent(present ? "" : "Node.js with the ws package", "npm ci --prefix src/test/clients");
		}
		else {
			boolean present = runs("/usr/bin/python3", "-c", "import websockets");
			RequiredTools.assumePresent(present ? "" : "python3-websockets", "apt-get install python3-websockets");
		}
	}

	private static boolean runs(String... command) throws InterruptedException {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
