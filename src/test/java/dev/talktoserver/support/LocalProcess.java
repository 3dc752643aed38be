package dev.talktoserver.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the tests that start processes of their own (the packaged server, nginx) share: a free port,
 * and waiting for readiness.
 */
final class LocalProcess {

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

	private LocalProcess() {
	}

	/** A port nothing listens on now; another process could take it before ours does, rarely. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Asks {@code /actuator/health/readiness} on 127.0.0.1:{@code port} until it answers 200. Between
	 * attempts it waits on the process itself, so one that fails to start is noticed at once.
	 * @return null once ready, else what went wrong ("exited with 1", "was not ready within PT30S")
	 */
	static String awaitReadiness(Process process, int port, Duration timeout) throws InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
			.timeout(HTTP_TIMEOUT)
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return null;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
				return "exited with " + process.exitValue() + " before it was ready";
			}
		}
		return "was not ready within " + timeout;
	}

}
