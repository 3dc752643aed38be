package dev.talktoserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client as people run it, {@code java -jar talk-to-server.jar client}, against the packaged server:
 * the classes it needs are all found in the jar's own layout (the unit tests run it from the class path
 * of the build), and it prints, says and exits as documented.
 */
class PackagedClientIT {

	private static ServerProcess server;

	@BeforeAll
	static void startServer() throws Exception {
		server = ServerProcess.start("packaged-client-it");
	}

	@AfterAll
	static void stopServer() throws InterruptedException {
		server.close();
	}

	@Test
	void oneShotPrintsEachReplyAndExitsZeroWithNothingOnStderr() throws Exception {
		Run run = Run.of("ws://127.0.0.1:" + server.port() + "/talk-to-server", "-m", "one", "-m", "two");
		assertThat(run.exitCode).as(run.err).isZero();
		assertThat(run.out).isEqualTo("Received: Hello from server!\nReceived: Hello from server!\n");
		assertThat(run.err).isEmpty();
	}

	@Test
	void aRefusedHandshakeSaysWhyAndExitsFour() throws Exception {
		Run run = Run.of("ws://127.0.0.1:" + server.port() + "/no-such-path");
		assertThat(run.exitCode).isEqualTo(4);
		assertThat(run.err).startsWith("error: the server refused the WebSocket handshake with HTTP 404");
	}

	@Test
	void helpAndVersionExitZero() throws Exception {
		Run help = Run.of("--help");
		assertThat(help.exitCode).isZero();
		assertThat(help.out).startsWith("Usage: java -jar talk-to-server.jar client [URL] [OPTIONS]")
			.contains("Exit status:", "Examples:");
		Run version = Run.of("--version");
		assertThat(version.exitCode).isZero();
		assertThat(version.out).matches("talk-to-server client \\d+\\.\\d+\\.\\d+.*\n");
	}

	@Test
	void aWrongOptionExitsTwoAndPointsToTheHelp() throws Exception {
		Run run = Run.of("--mesage", "hi");
		assertThat(run.exitCode).isEqualTo(2);
		assertThat(run.err).isEqualTo("error: unknown option '--mesage'\n"
				+ "Try 'java -jar talk-to-server.jar client --help' for the options.\n");
	}

	private record Run(int exitCode, String out, String err) {

		static Run of(String... arguments) throws IOException, InterruptedException {
			Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "client"));
			command.addAll(List.of(arguments));
			Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
					Path.of("/dev/null").toFile())).start();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("client exited within 30 s").isTrue();
			return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
					new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
		}

	}

}
