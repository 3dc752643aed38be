package dev.talktoserver.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged jar (system property {@code talk.jar}, set by the build for integration tests) running in
 * a process of its own on 127.0.0.1, its output in a log file under {@code target/}. Closing it kills
 * the process if it is still alive.
 */
public final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

	private final Process process;

	private final int port;

	private final Path log;

	private ServerProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/** Starts the jar with {@code args} on a free port and waits until it is ready. */
	public static ServerProcess start(String name, String... args) throws Exception {
		Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged jar (system property talk.jar)").isRegularFile();
		int port = freePort();
		Path log = jar.resolveSibling(name + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServerProcess server = new ServerProcess(process, port, log);
		server.awaitReady();
		return server;
	}

	public int port() {
		return this.port;
	}

	public Process process() {
		return this.process;
	}

	/** Everything the server has written so far. */
	public String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(log " + this.log + " unreadable: " + ex + ")";
		}
	}

	/**
	 * Asks for readiness until it answers 200. Between attempts it waits on the process itself, so a
	 * server that fails to start fails the test at once, with its log.
	 */
	private void awaitReady() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
			.timeout(HTTP_TIMEOUT)
			.build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			if (this.process.waitFor(100, TimeUnit.MILLISECONDS)) {
				fail("the server exited with %d before it was ready; log:%n%s", this.process.exitValue(), log());
			}
		}
		fail("the server was not ready within %s; log:%n%s", STARTUP_TIMEOUT, log());
	}

	/** A port nothing listens on now; another process could take it before the server does, rarely. */
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
