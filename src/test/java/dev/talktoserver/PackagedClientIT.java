package dev.talktoserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import dev.talktoserver.support.PackagedClient;
import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

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
		PackagedClient run = PackagedClient.run("ws://127.0.0.1:" + server.port() + "/talk-to-server", "-m", "one", "-m", "two");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).isEqualTo("Received: Hello from server!\nReceived: Hello from server!\n");
		assertThat(run.err()).isEmpty();
	}

	@Test
	void theFirstRunCopiesTheClientsJarsIntoTheCacheAndLaterRunsStartFromThem() throws Exception {
		FileSystemUtils.deleteRecursively(PackagedClient.CACHE);
		String url = "ws://127.0.0.1:" + server.port() + "/talk-to-server";
		assertThat(PackagedClient.run(url).exitCode()).isZero();
		List<Path> builds;
		try (Stream<Path> listed = Files.list(PackagedClient.CACHE.resolve("talk-to-server"))) {
			builds = listed.toList();
		}
		assertThat(builds).as("the cache's directories").hasSize(1);
		Path build = builds.get(0);
		assertThat(build.getFileName().toString()).startsWith("client-");
		assertThat(build.resolve("classes/dev/talktoserver/client/TalkClient.class")).isRegularFile();
		FileTime made = Files.getLastModifiedTime(build);

		Path classes = Path.of("target", "packaged-client-it-classes.log").toAbsolutePath();
		PackagedClient again = PackagedClient.run(List.of("-Xlog:class+load:file=" + classes), url);
		assertThat(again.exitCode()).isZero();
		assertThat(again.out()).isEqualTo("Received: Hello from server!\n");
		assertThat(Files.getLastModifiedTime(build)).isEqualTo(made);
		assertThat(Files.readString(classes)).as("classes the second run loaded")
			.contains("dev.talktoserver.client.TalkClient source: file:" + build.resolve("classes") + "/")
			.doesNotContain("org.springframework.boot.loader.launch.JarLauncher");
	}

	@Test
	void aRefusedHandshakeSaysWhyAndExitsFour() throws Exception {
		PackagedClient run = PackagedClient.run("ws://127.0.0.1:" + server.port() + "/no-such-path");
		assertThat(run.exitCode()).isEqualTo(4);
		assertThat(run.err()).startsWith("error: the server refused the WebSocket handshake with HTTP 404");
	}

	@Test
	void helpAndVersionExitZero() throws Exception {
		PackagedClient help = PackagedClient.run("--help");
		assertThat(help.exitCode()).isZero();
		assertThat(help.out()).startsWith("Usage: java -jar talk-to-server.jar client [URL] [OPTIONS]")
			.contains("Exit status:", "Examples:");
		PackagedClient version = PackagedClient.run("--version");
		assertThat(version.exitCode()).isZero();
		assertThat(version.out()).matches("talk-to-server client \\d+\\.\\d+\\.\\d+.*\n");
	}

	@Test
	void aWrongOptionExitsTwoAndPointsToTheHelp() throws Exception {
		PackagedClient run = PackagedClient.run("--mesage", "hi");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).isEqualTo("error: unknown option '--mesage'; did you mean --message?\n"
				+ "Try 'java -jar talk-to-server.jar client --help' for the options.\n");
	}

}
