package dev.talktoserver.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar (system property {@code talk.jar}, set by the build for integration tests) running in
 * a process of its own on 127.0.0.1, its output in a log file under {@code target/}. Closing it kills
 * the process if it is still alive.
 */
public final class ServerProcess implements AutoCloseable {

	/**
	 * Start-up and the 2,000 warm-up handshakes before readiness take 5 to 10 s on an idle 2-core machine,
	 * and were seen to take over 30 s under a loaded CI run: the wait ends as soon as the server is ready.
	 */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration LOG_TIMEOUT = Duration.ofSeconds(5);

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
		return start(name, List.of(), args);
	}

	/** Like {@link #start(String, String...)}, with options for the JVM, such as {@code -Xmx96m}. */
	public static ServerProcess start(String name, List<String> jvmOptions, String... args) throws Exception {
		Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged jar (system property talk.jar)").isRegularFile();
		int port = LocalProcess.freePort();
		Path log = jar.resolveSibling(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServerProcess server = new ServerProcess(process, port, log);
		try {
			server.awaitReady();
		}
		catch (Throwable ex) {
			// The caller never gets the server to close: stop it here, or it outlives the test run.
			server.close();
			throw ex;
		}
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
	 * Waits until the server's log contains {@code text}, for up to {@link #LOG_TIMEOUT}, and says whether
	 * it does. The server writes its console in batches (every 10 ms), so a line can trail the reply.
	 */
	public boolean awaitLog(String text) {
		try {
			await().atMost(LOG_TIMEOUT).until(() -> log().contains(text));
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	private void awaitReady() throws Exception {
		String problem = LocalProcess.awaitReadiness(this.process, this.port, STARTUP_TIMEOUT);
		if (problem != null) {
			fail("the server %s; log:%n%s", problem, log());
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
