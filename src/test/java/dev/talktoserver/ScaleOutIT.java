package dev.talktoserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import dev.talktoserver.support.NginxProcess;
import dev.talktoserver.support.PackagedClient;
import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the packaged jar behind Debian's nginx, configured by the repository's
 * {@code deploy/nginx/talk.conf} (only its ports changed), everything on 127.0.0.1: clients through
 * nginx are shared between the instances and each gets its replies, including pages on the proxy's
 * origin; then one instance gets SIGTERM: its clients hear 1001, the others carry on, and the packaged
 * client with {@code --reconnect}, fed through its standard input, moves to the other instance without
 * a message going unanswered.
 */
class ScaleOutIT {

	private static final int CLIENTS = 200;

	private static final String REPLY = "Hello from server!";

	/** The drained instance closes its sessions at once; the rest of its shutdown takes longer. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

	/** {@code spring.lifecycle.timeout-per-shutdown-phase} is 20 s; the rest is JVM exit. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(25);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void instancesShareClientsBehindNginxAndASigtermedInstancesClientsMoveToTheOther() throws Exception {
		NginxProcess.assumeInstalled();
		Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
		try (ServerProcess first = ServerProcess.start("scale-out-1");
				ServerProcess second = ServerProcess.start("scale-out-2");
				NginxProcess nginx = NginxProcess.start(jar.resolveSibling("scale-out-nginx"), first.port(),
						second.port())) {

			// Counted from here: each instance made its warm-up handshakes to itself before it was ready.
			double warmUpOnFirst = sessionsOpened(first);
			double warmUpOnSecond = sessionsOpened(second);
			// 200 clients through nginx, half of them with the proxy's origin, as its pages would send.
			List<JdkTestClient> clients = openThrough(nginx);
			for (int i = 0; i < CLIENTS; i++) {
				assertThat(clients.get(i).roundTrip("client-" + i)).as("client %d: reply", i).isEqualTo(REPLY);
			}
			assertThat(JdkTestClient.refusedStatus(nginx.port(), "/talk-to-server", "http://elsewhere.example"))
				.as("another origin through nginx").isEqualTo(403);
			double openedOnFirst = sessionsOpened(first) - warmUpOnFirst;
			double openedOnSecond = sessionsOpened(second) - warmUpOnSecond;
			assertThat(openedOnFirst + openedOnSecond).as("sessions opened on both").isEqualTo(CLIENTS);
			assertThat(openedOnFirst).as("sessions on the first instance").isPositive();
			assertThat(openedOnSecond).as("sessions on the second instance").isPositive();

			try (ClientProcess client = ClientProcess.start(jar, nginx.url("/talk-to-server"), "--interactive",
					"--reconnect", "--reconnect-delay", "200ms")) {
				client.send("probe");
				assertThat(client.nextReply()).isEqualTo("Received: " + REPLY);
				// Each instance's log is in order: once the probe's line is there, the earlier clients' are too.
				String probe = "chars: \"probe\"";
				await().atMost(Duration.ofSeconds(5)).until(() -> first.log().contains(probe) || second.log().contains(probe));
				ServerProcess drained = first.log().contains(probe) ? first : second;
				ServerProcess remaining = (drained == first) ? second : first;
				List<Boolean> onDrained = new ArrayList<>();
				for (int i = 0; i < CLIENTS; i++) {
					onDrained.add(drained.log().contains("chars: \"client-" + i + "\""));
				}

				drained.process().destroy();
				int sent = 1;
				for (int i = 0; i < 5; i++, sent++) {
					client.send("during-" + i);
				}

				for (int i = 0; i < CLIENTS; i++) {
					if (onDrained.get(i)) {
						assertThat(clients.get(i).awaitClose(CLOSE_TIMEOUT)).as("client %d on the drained instance", i)
							.isEqualTo(new Close(1001, "server shutting down"));
					}
				}
				client.awaitStderr("reconnected to " + nginx.url("/talk-to-server"));
				for (int i = 0; i < 10; i++, sent++) {
					client.send("after-" + i);
				}
				client.endInput();
				assertThat(client.awaitExit()).as("client exit code; stderr:%n%s", client.stderr()).isZero();
				assertThat(client.replies()).as("replies to %d messages (at least once each)", sent)
					.isGreaterThanOrEqualTo(sent);
				assertThat(client.stderr()).contains("reconnecting (attempt 1 of 10 in ")
					.contains("): server closed with 1001 server shutting down");
				assertThat(remaining.awaitLog("chars: \"after-9\"")).as("after-9 in the log of the remaining instance:%n%s",
						remaining.log()).isTrue();
				// For the record (target/failsafe-reports/...-output.txt): what the person running the client saw.
				System.out.printf("client: %d messages, %d replies; stderr:%n%s%n", sent, client.replies(), client.stderr());

				assertThat(drained.process().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
					.as("drained instance exited; log:%n%s", drained.log())
					.isTrue();
				for (int i = 0; i < CLIENTS; i++) {
					if (!onDrained.get(i)) {
						assertThat(clients.get(i).isClosed()).as("client %d on the remaining instance: closed", i).isFalse();
						assertThat(clients.get(i).roundTrip("still-" + i)).as("client %d: reply", i).isEqualTo(REPLY);
					}
				}
			}
			finally {
				clients.stream().filter((c) -> !c.isClosed()).forEach(JdkTestClient::abort);
			}
		}
	}

	private static List<JdkTestClient> openThrough(NginxProcess nginx) throws Exception {
		List<CompletableFuture<JdkTestClient>> opening = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			opening.add(JdkTestClient.connectAsync(nginx.port(), "/talk-to-server", (i % 2 == 0) ? nginx.origin() : null));
		}
		List<JdkTestClient> clients = new ArrayList<>();
		for (CompletableFuture<JdkTestClient> future : opening) {
			clients.add(future.get(JdkTestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		return clients;
	}

	/** {@code talk.sessions.opened} of one instance, asked directly, not through nginx. */
	private static double sessionsOpened(ServerProcess server) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/actuator/metrics/talk.sessions.opened"))
			.timeout(Duration.ofSeconds(5))
			.build();
		String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		Matcher value = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.]+)").matcher(body);
		assertThat(value.find()).as("a COUNT in %s", body).isTrue();
		return Double.parseDouble(value.group(1));
	}

	/**
	 * The packaged client in a process of its own: lines go to its standard input, and what it prints
	 * is collected as it comes. Closing it kills the process if it is still alive.
	 */
	private static final class ClientProcess implements AutoCloseable {

		private final Process process;

		private final Writer stdin;

		private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();

		private final List<String> stdoutSeen = new CopyOnWriteArrayList<>();

		private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();

		private final List<String> stderrSeen = new CopyOnWriteArrayList<>();

		private final CountDownLatch stdoutReaderDone = new CountDownLatch(1);

		private ClientProcess(Process process) {
			this.process = process;
			this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			collect(process.getInputStream(), this.stdout, this.stdoutSeen, "client-stdout");
			collect(process.getErrorStream(), this.stderr, this.stderrSeen, "client-stderr");
		}

		static ClientProcess start(Path jar, String url, String... options) throws IOException {
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "client",
					url));
			command.addAll(List.of(options));
			ProcessBuilder builder = new ProcessBuilder(command);
			builder.environment().put("XDG_CACHE_HOME", PackagedClient.CACHE.toString());
			return new ClientProcess(builder.start());
		}

		void send(String line) throws IOException {
			this.stdin.write(line + "\n");
			this.stdin.flush();
		}

		void endInput() throws IOException {
			this.stdin.close();
		}

		String nextReply() throws InterruptedException {
			String line = this.stdout.poll(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(line).as("a line from the client within %s; stderr:%n%s", CLIENT_TIMEOUT, stderr()).isNotNull();
			return line;
		}

		void awaitStderr(String start) throws InterruptedException {
			long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
			for (String line = ""; !line.startsWith(start);) {
				line = this.stderr.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
				assertThat(line).as("'%s' on the client's stderr within %s; it said:%n%s", start, CLIENT_TIMEOUT,
						stderr()).isNotNull();
			}
		}

		int awaitExit() throws InterruptedException {
			assertThat(this.process.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("client exited within %s; stderr:%n%s", CLIENT_TIMEOUT, stderr()).isTrue();
			return this.process.exitValue();
		}

		/** How many replies it printed, once it has exited and its output is all read. */
		long replies() throws InterruptedException {
			this.stdoutReaderDone.await(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return this.stdoutSeen.stream().filter((line) -> line.startsWith("Received: ")).count();
		}

		String stderr() {
			return String.join("\n", this.stderrSeen);
		}

		private void collect(InputStream stream, BlockingQueue<String> lines, List<String> seen, String name) {
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						lines.add(line);
						seen.add(line);
					}
				}
				catch (IOException ex) {
					// The process is gone.
				}
				finally {
					if (lines == this.stdout) {
						this.stdoutReaderDone.countDown();
					}
				}
			}, name);
			reader.setDaemon(true);
			reader.start();
		}

		@Override
		public void close() throws InterruptedException {
			if (this.process.isAlive()) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}

	}

}
