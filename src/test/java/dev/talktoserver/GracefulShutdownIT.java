package dev.talktoserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.talktoserver.support.JdkTestClient;
import dev.talktoserver.support.JdkTestClient.Close;
import dev.talktoserver.support.ServerProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a SIGTERM does to the packaged jar, run in a process of its own with connections from the JDK's
 * {@code java.net.http.WebSocket}, a client that shares no code with the server: every open session is
 * told "server shutting down" with 1001 rather than dropped, and the process exits within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
class GracefulShutdownIT {

	private static final int SESSIONS = 100;

	/** Every session hears of the shutdown well within the shutdown phase's 20 s. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

	/** {@code spring.lifecycle.timeout-per-shutdown-phase} is 20 s; the rest is JVM exit. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(25);

	@Test
	void sigtermClosesEverySessionWith1001AndExitsWithinTheShutdownPhase() throws Exception {
		try (ServerProcess server = ServerProcess.start("graceful-shutdown-it")) {
			List<JdkTestClient> sessions = openTalkingSessions(server.port());

			server.process().destroy();

			for (int i = 0; i < SESSIONS; i++) {
				Close close = sessions.get(i).awaitClose(CLOSE_TIMEOUT);
				assertThat(close).as("session %d: close", i).isEqualTo(new Close(1001, "server shutting down"));
			}
			assertThat(server.process().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("process exited within %s; log:%n%s", EXIT_TIMEOUT, server.log())
				.isTrue();
			assertThat(server.process().exitValue()).as("exit code; log:%n%s", server.log()).isIn(0, 143);
			assertThat(server.log()).contains("shutting down: closing " + SESSIONS + " WebSocket session(s) with 1001")
				.doesNotContain("did not answer the close in time");
		}
	}

	/** Opens the sessions and has each one get its reply, so that all are open for sure. */
	private static List<JdkTestClient> openTalkingSessions(int port) throws Exception {
		List<CompletableFuture<JdkTestClient>> opening = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			opening.add(JdkTestClient.connectAsync(port, "/talk-to-server", null));
		}
		List<JdkTestClient> sessions = new ArrayList<>();
		for (CompletableFuture<JdkTestClient> future : opening) {
			sessions.add(future.get(JdkTestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		for (int i = 0; i < SESSIONS; i++) {
			assertThat(sessions.get(i).roundTrip("Hello from client " + i)).as("session %d: reply", i)
				.isEqualTo("Hello from server!");
		}
		return sessions;
	}

}
