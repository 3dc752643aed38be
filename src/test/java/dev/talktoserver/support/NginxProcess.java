package dev.talktoserver.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}) in the foreground, as a child process, with a configuration
 * that includes the repository's {@code deploy/nginx/talk.conf} with only its addresses changed: the
 * upstream instances' ports, and a listen port on 127.0.0.1. Everything it writes (pid, logs, temp
 * files) stays in a directory of its own; nothing under /etc or /var is read or touched. Closing it
 * stops the process.
 * <p>
 * Where nginx is missing the test is skipped, except under {@code CI=true}, where it fails: CI installs
 * it ({@code .ci/run}), and a skipped scale-out test there would hide a broken set-up.
 */
public final class NginxProcess implements AutoCloseable {

	public static final Path NGINX = Path.of("/usr/sbin/nginx");

	public static final Path TALK_CONF = Path.of("deploy/nginx/talk.conf");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private final Path directory;

	private NginxProcess(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	public static void assumeInstalled() {
		if (Files.isExecutable(NGINX)) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			fail("CI=true, where the scale-out test must run, but " + NGINX + " is not installed");
		}
		Assumptions.abort("scale-out test skipped: " + NGINX + " is missing (apt-get install nginx)");
	}

	/**
	 * Starts nginx in {@code directory} in front of the instances on {@code upstreamPorts} (as many as
	 * talk.conf lists), and waits until it answers readiness through to an instance.
	 */
	public static NginxProcess start(Path directory, int... upstreamPorts) throws Exception {
		assumeInstalled();
		Files.createDirectories(directory.resolve("logs"));
		int port = LocalProcess.freePort();
		String talkConf = Files.readString(TALK_CONF, StandardCharsets.UTF_8);
		talkConf = replaceOnce(talkConf, "listen 80;", "listen 127.0.0.1:" + port + ";");
		for (int i = 0; i < upstreamPorts.length; i++) {
			talkConf = replaceOnce(talkConf, "server 127.0.0.1:" + (8081 + i) + " ",
					"server 127.0.0.1:" + upstreamPorts[i] + " ");
		}
		Files.writeString(directory.resolve("talk.conf"), talkConf, StandardCharsets.UTF_8);
		String d = directory.toAbsolutePath().toString();
		// As root, nginx's workers switch to a user; Debian has no group "nobody", nginx's built-in default.
		String user = "root".equals(System.getProperty("user.name")) ? "user www-data;\n" : "";
		Files.writeString(directory.resolve("nginx.conf"), user + """
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/logs/error.log info;
				events { worker_connections 1024; }
				http {
				    access_log %1$s/logs/access.log;
				    client_body_temp_path %1$s/temp/client_body;
				    proxy_temp_path %1$s/temp/proxy;
				    fastcgi_temp_path %1$s/temp/fastcgi;
				    uwsgi_temp_path %1$s/temp/uwsgi;
				    scgi_temp_path %1$s/temp/scgi;
				    include %1$s/talk.conf;
				}
				""".formatted(d), StandardCharsets.UTF_8);
		Files.createDirectories(directory.resolve("temp"));
		Process process = new ProcessBuilder(List.of(NGINX.toString(), "-p", d, "-c", d + "/nginx.conf", "-e",
				d + "/logs/error.log", "-g", "daemon off;"))
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("logs/stdout.log").toFile())
			.start();
		NginxProcess nginx = new NginxProcess(process, port, directory);
		try {
			nginx.awaitReady();
		}
		catch (Throwable ex) {
			// The caller never gets nginx to close: stop it here, or it outlives the test run.
			nginx.close();
			throw ex;
		}
		return nginx;
	}

	private static String replaceOnce(String text, String target, String replacement) {
		int at = text.indexOf(target);
		assertThat(at).as("'%s' in %s", target, TALK_CONF).isNotNegative();
		assertThat(text.indexOf(target, at + 1)).as("'%s' only once in %s", target, TALK_CONF).isNegative();
		return text.replace(target, replacement);
	}

	public int port() {
		return this.port;
	}

	public String url(String path) {
		return "ws://127.0.0.1:" + this.port + path;
	}

	/** The origin of a page served through this proxy. */
	public String origin() {
		return "http://127.0.0.1:" + this.port;
	}

	/** nginx's error log (connections it gave up on, upstreams it left out). */
	public String errorLog() {
		try {
			return Files.readString(this.directory.resolve("logs/error.log"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

	/** Readiness through nginx answers 200 once nginx listens and reaches an instance. */
	private void awaitReady() throws Exception {
		String problem = LocalProcess.awaitReadiness(this.process, this.port, STARTUP_TIMEOUT);
		if (problem != null) {
			fail("nginx %s; its log:%n%s%s", problem, errorLog(),
					Files.readString(this.directory.resolve("logs/stdout.log")));
		}
	}

	/** Stops nginx at once (SIGTERM to the master, which stops its workers), waiting a bounded time. */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
		}
	}

}
