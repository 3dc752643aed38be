package dev.talktoserver.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test client on the JDK's own {@code java.net.http.WebSocket}: an implementation that shares no
 * code with Spring or Tomcat. It collects whole text messages and the close the server sends; every
 * wait is bounded.
 */
public final class JdkTestClient implements WebSocket.Listener {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient http = HttpClient.newHttpClient();

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private final CompletableFuture<Close> close = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private WebSocket webSocket;

	/** What the server's close frame said. */
	public record Close(int code, String reason) {
	}

	public static JdkTestClient connect(int port, String path) {
		return connect(port, path, null);
	}

	public static JdkTestClient connect(int port, String path, String origin) {
		return connect(http, URI.create("ws://127.0.0.1:" + port + path), withOrigin(origin));
	}

	/**
	 * Connects to {@code uri} through {@code client} (one with its own TLS settings, say), with whatever
	 * {@code handshake} sets on the builder: headers, subprotocols.
	 */
	public static JdkTestClient connect(HttpClient client, URI uri, Consumer<WebSocket.Builder> handshake) {
		try {
			return connectAsync(client, uri, handshake).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("could not connect to " + uri.getPath() + ": " + ex, ex);
		}
	}

	public static CompletableFuture<JdkTestClient> connectAsync(int port, String path, String origin) {
		return connectAsync(http, URI.create("ws://127.0.0.1:" + port + path), withOrigin(origin));
	}

	public static CompletableFuture<JdkTestClient> connectAsync(HttpClient client, URI uri,
			Consumer<WebSocket.Builder> handshake) {
		JdkTestClient result = new JdkTestClient();
		WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
		handshake.accept(builder);
		return builder.buildAsync(uri, result).thenApply((webSocket) -> {
			result.webSocket = webSocket;
			return result;
		});
	}

	/** The HTTP status a refused handshake got, or fails when the handshake succeeds. */
	public static int refusedStatus(int port, String path, String origin) throws InterruptedException {
		return refusedStatus(http, URI.create("ws://127.0.0.1:" + port + path), withOrigin(origin));
	}

	/** Connects with {@code headers} on the handshake (not those the JDK sets itself, such as Host). */
	public static CompletableFuture<JdkTestClient> connectWithHeaders(int port, String path,
			Map<String, String> headers) {
		return connectAsync(http, URI.create("ws://127.0.0.1:" + port + path), (builder) -> headers.forEach(builder::header));
	}

	/** Like {@link #refusedStatus(int, String, String)}, with {@code headers} on the handshake. */
	public static int refusedStatusWithHeaders(int port, String path, Map<String, String> headers)
			throws InterruptedException {
		return refusedStatus(http, URI.create("ws://127.0.0.1:" + port + path), (builder) -> headers.forEach(builder::header));
	}

	public static int refusedStatus(HttpClient client, URI uri, Consumer<WebSocket.Builder> handshake)
			throws InterruptedException {
		try {
			connectAsync(client, uri, handshake).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).abort();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refused) {
				return refused.getResponse().statusCode();
			}
			throw new AssertionError("handshake failed without an HTTP status: " + ex.getCause(), ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("no answer to the handshake within " + TIMEOUT, ex);
		}
		throw new AssertionError("the handshake to " + uri.getPath() + " was accepted; expected it to be refused");
	}

	private static Consumer<WebSocket.Builder> withOrigin(String origin) {
		return (builder) -> {
			if (origin != null) {
				builder.header("Origin", origin);
			}
		};
	}

	/** The subprotocol the server selected; empty when it selected none. */
	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	public void send(String text) {
		this.webSocket.sendText(text, true).join();
	}

	public void sendBinary(byte[] bytes) {
		this.webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
	}

	/** The next whole text message. */
	public String nextText() throws InterruptedException {
		String text = this.texts.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(text).as("a text message within %s", TIMEOUT).isNotNull();
		return text;
	}

	/** Sends a message and returns the reply, as a round trip. */
	public String roundTrip(String text) throws InterruptedException {
		send(text);
		return nextText();
	}

	/** The close the server sent, waiting for it within the bound. */
	public Close awaitClose() throws Exception {
		return awaitClose(TIMEOUT);
	}

	public Close awaitClose(Duration timeout) throws Exception {
		return this.close.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean isClosed() {
		return this.close.isDone();
	}

	public void close() {
		this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	public void abort() {
		this.webSocket.abort();
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.texts.add(this.partial.toString());
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.close.complete(new Close(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.close.completeExceptionally(error);
	}

}
