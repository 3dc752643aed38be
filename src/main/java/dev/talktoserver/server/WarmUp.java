package dev.talktoserver.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.access.WarmUpToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Before the server reports itself ready, it makes {@code talk.warm-up.handshakes} handshakes to itself
 * over loopback, half to each endpoint, with one message on {@code /echo} (which logs none), each ended
 * with a close, so that the JIT has
 * compiled the handshake path before the first real storm of clients arrives: after a drain, every
 * client of the stopped instance reconnects at once, usually to one that has just started, and a cold
 * JVM handles its first handshakes at half the rate of a warm one, or less (docs/performance.md). In the
 * image, the AOT cache's training run does the same, so the cache holds the handshake path's profiles.
 * <p>
 * Readiness waits for it (an {@link ApplicationRunner} runs before the application is ready); the port
 * is open meanwhile. It is skipped where it cannot reach the server by plain {@code ws://} (TLS on the
 * main port), and a failure ends it with one WARN line: it is an optimisation, never a reason not to
 * start.
 */
@Component
class WarmUp implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	/** Several at a time, as real clients come, so that the concurrent paths are compiled too. */
	private static final int CONCURRENCY = 4;

	private static final int TIMEOUT_MILLIS = 5000;

	/** The whole warm-up gives up after this, warm or not. */
	private static final long LIMIT_SECONDS = 30;

	private final WebServerApplicationContext context;

	/**
	 * JWT checks, without a handshake, per warm-up handshake: at 2,000 handshakes, 20,000 checks took
	 * about 4 s before readiness on the 2-vCPU machine of docs/performance.md, and brought the first
	 * round of 5,000 handshakes with a JWT from 0.56x to 0.74x the rate of those without one.
	 */
	private static final int JWT_CHECKS_PER_HANDSHAKE = 10;

	private final Environment environment;

	private final int handshakes;

	private final List<String> tokens;

	/** Whether handshakes are checked for JWTs: then the warm-up's carry one, as real ones do. */
	private final boolean jwt;

	private final WarmUpToken warmUpToken;

	/** The token the warm-up's handshakes carry; null for none. */
	private String token;

	WarmUp(WebServerApplicationContext context, Environment environment, TalkProperties properties,
			ObjectProvider<JwtDecoder> jwtDecoder, WarmUpToken warmUpToken) {
		this.context = context;
		this.environment = environment;
		this.handshakes = properties.warmUp().handshakes();
		this.tokens = properties.auth().tokens();
		this.jwt = jwtDecoder.getIfAvailable() != null;
		this.warmUpToken = warmUpToken;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		if (this.handshakes <= 0 || this.context.getWebServer() == null) {
			return;
		}
		if (this.environment.getProperty("server.ssl.enabled", Boolean.class, false)
				|| this.environment.getProperty("server.ssl.bundle") != null) {
			logger.debug("warm-up skipped: the main port speaks TLS");
			return;
		}
		// A JWT, where handshakes are checked for them: its check is the costliest part of a handshake.
		this.token = this.jwt ? this.warmUpToken.start() : this.tokens.isEmpty() ? null : this.tokens.get(0);
		String checks = "";
		if (this.jwt) {
			long checksStart = System.nanoTime();
			this.warmUpToken.checkRepeatedly(JWT_CHECKS_PER_HANDSHAKE * this.handshakes);
			checks = " after " + JWT_CHECKS_PER_HANDSHAKE * this.handshakes + " JWT checks in "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checksStart) + " ms";
		}
		InetSocketAddress server = new InetSocketAddress(loopbackOr(this.environment.getProperty("server.address")),
				this.context.getWebServer().getPort());
		long start = System.nanoTime();
		AtomicInteger next = new AtomicInteger();
		ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY, (task) -> new Thread(task, "talk-warm-up"));
		try {
			Future<?>[] running = new Future<?>[CONCURRENCY];
			for (int i = 0; i < CONCURRENCY; i++) {
				running[i] = workers.submit(() -> {
					for (int n = next.getAndIncrement(); n < this.handshakes; n = next.getAndIncrement()) {
						roundTrip(server, (n % 2 == 0) ? EchoHandler.PATH : TalkHandler.PATH, n);
					}
					return null;
				});
			}
			for (Future<?> worker : running) {
				worker.get(LIMIT_SECONDS, TimeUnit.SECONDS);
			}
			logger.info("warm-up: {} handshakes to {} in {} ms{}", this.handshakes, server,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), checks);
		}
		catch (Exception ex) {
			logger.warn("warm-up ended early after about {} handshakes: {}", Math.min(next.get(), this.handshakes),
					(ex.getCause() != null) ? ex.getCause().toString() : ex.toString());
		}
		finally {
			workers.shutdownNow();
			this.warmUpToken.finish();
		}
	}

	private static InetAddress loopbackOr(String address) throws InterruptedException {
		try {
			InetAddress bound = (address != null) ? InetAddress.getByName(address) : null;
			return (bound == null || bound.isAnyLocalAddress()) ? InetAddress.getLoopbackAddress() : bound;
		}
		catch (IOException ex) {
			return InetAddress.getLoopbackAddress();
		}
	}

	/**
	 * One handshake to {@code path}, on {@code /echo} one message and its echo, then a close and its
	 * answer. ({@code /talk-to-server} would log a message: it gets the handshake and the close.) The
	 * {@code n}th handshake carries the token the {@code n % 3}th way clients do: a header, a subprotocol
	 * (browsers), the query (the last resort), so that the JIT compiles each; a long token in the query
	 * costs Tomcat's parameter parsing more than the check itself.
	 */
	private void roundTrip(InetSocketAddress server, String path, int n) throws IOException {
		try (Socket socket = new Socket()) {
			// Small writes that wait for answers: without this, each waits for the server's delayed ACK.
			socket.setTcpNoDelay(true);
			socket.connect(server, TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			String carrier = "";
			String query = "";
			if (this.token != null) {
				switch (n % 3) {
					case 0 -> carrier = "Authorization: Bearer " + this.token + "\r\n";
					case 1 -> carrier = "Sec-WebSocket-Protocol: talk, bearer." + this.token + "\r\n";
					default -> query = "?access_token=" + this.token;
				}
			}
			String request = "GET " + path + query + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
					+ server.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGFsayB3YXJtLXVwIGtleQ==\r\nSec-WebSocket-Version: 13\r\n" + carrier
					+ "\r\n";
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			expectSwitchingProtocols(in);
			// A masked text frame "warm-up" (mask 0: a valid mask that leaves the payload as it is), then a
			// masked close frame with 1000.
			if (path.equals(EchoHandler.PATH)) {
				out.write(new byte[] { (byte) 0x81, (byte) 0x87, 0, 0, 0, 0, 'w', 'a', 'r', 'm', '-', 'u', 'p' });
				skipFrame(in);
			}
			out.write(new byte[] { (byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8 });
			skipFrame(in);
		}
	}

	private static void expectSwitchingProtocols(DataInputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			head.append((char) in.readUnsignedByte());
		}
		if (!head.toString().startsWith("HTTP/1.1 101")) {
			throw new IOException("handshake answered " + head.toString().lines().findFirst().orElse(""));
		}
	}

	private static void skipFrame(DataInputStream in) throws IOException {
		in.readUnsignedByte();
		int length = in.readUnsignedByte() & 0x7F;
		if (length == 126) {
			length = in.readUnsignedShort();
		}
		in.skipNBytes(length);
	}

}
