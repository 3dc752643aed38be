package dev.talktoserver.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import jakarta.websocket.WebSocketContainer;
import javax.net.ssl.SSLException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * One client connection made with Spring's {@link StandardWebSocketClient}. Everything the server
 * sends, and the end of the connection, is put on the conversation's event queue, with this
 * connection's number.
 */
final class Connection {

	/** Tomcat's WebSocket client reads its I/O timeout, the handshake's included, from this property. */
	private static final String TOMCAT_IO_TIMEOUT = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

	/**
	 * How Tomcat's client reports a handshake answered with something other than 101; a 401 with a
	 * challenge it cannot answer itself (Bearer) says "HTTP response code [401]". Compiled when a
	 * connection fails, not when one opens: regular expressions are some 30 classes of a one-shot run.
	 */
	private static final String REFUSED_STATUS = "HTTP response (?:from the server|code) \\[(\\d{3})\\]";

	private static final AtomicInteger numbers = new AtomicInteger();

	private final int number;

	private final WebSocketSession session;

	private Connection(int number, WebSocketSession session) {
		this.number = number;
		this.session = session;
	}

	/**
	 * Spring's client over {@code container}, with {@code sslContext} deciding whom a {@code wss://}
	 * connection trusts (null: the Java runtime's CA certificates).
	 */
	static StandardWebSocketClient client(WebSocketContainer container, SSLContext sslContext,
			Duration connectTimeout) {
		StandardWebSocketClient client = new StandardWebSocketClient(container);
		client.setSslContext(sslContext);
		client.setUserProperties(Map.of(TOMCAT_IO_TIMEOUT, String.valueOf(connectTimeout.toMillis())));
		return client;
	}

	/** Connects with {@code client}, made by {@link #client}. */
	static Connection open(StandardWebSocketClient client, URI url, WebSocketHttpHeaders headers,
			Duration connectTimeout, BlockingQueue<Event> events) {
		int number = numbers.incrementAndGet();
		try {
			WebSocketSession session = client.execute(new EventHandler(number, events), headers, url)
				.get(connectTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
			return new Connection(number, session);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ClientFailure(ExitCode.FAILED, "interrupted while connecting", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw connectFailure(url, connectTimeout, ex, headers.containsHeader(HttpHeaders.AUTHORIZATION));
		}
	}

	/** Which connection of this run this is: events from the server carry it. */
	int number() {
		return this.number;
	}

	void send(String text) {
		try {
			this.session.sendMessage(new TextMessage(text));
		}
		catch (IOException | IllegalStateException ex) {
			// IllegalStateException: Tomcat's session is already closed.
			throw new ClientFailure(ExitCode.CLOSED_BY_SERVER,
					"could not send: the connection broke (" + ex.getMessage() + ")", ex, true);
		}
	}

	/** Starts the closing handshake; the conversation then waits for the server's close frame. */
	void close(CloseStatus status) {
		try {
			this.session.close(status);
		}
		catch (IOException | IllegalStateException ex) {
			// The connection is gone already: nothing is left to close.
		}
	}

	/**
	 * Turns what the connect attempt threw into a line a person can act on, and says whether trying
	 * again could help: a refused or timed-out connection, a 502, 503 or 504 (a server shutting down, at
	 * its cap, or a proxy with no instance to hand over to), a 429 (the client holds its share of
	 * connections: the server may not yet have seen a lost one go) or a broken handshake can; an unknown
	 * host, a TLS failure or any other refusal cannot.
	 */
	static ClientFailure connectFailure(URI url, Duration connectTimeout, Throwable failure, boolean tokenSent) {
		String target = url.getHost() + ":" + port(url);
		ClientFailure tls = tlsFailure(url, target, failure);
		if (tls != null) {
			return tls;
		}
		boolean brokenConnection = false;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
				return new ClientFailure(ExitCode.TIMED_OUT, "no WebSocket handshake with " + target + " within "
						+ connectTimeout.toMillis() + " ms; check the address, or raise --connect-timeout", failure,
						true);
			}
			if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
				return new ClientFailure(ExitCode.CANNOT_CONNECT, "cannot connect to " + target
						+ ": connection refused; is the server running (./mvnw spring-boot:run) and is the port right?",
						failure, true);
			}
			if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
				return new ClientFailure(ExitCode.CANNOT_CONNECT,
						"cannot connect to " + target + ": unknown host '" + url.getHost() + "'; check the URL",
						failure);
			}
			Matcher status = (cause.getMessage() != null)
					? Pattern.compile(REFUSED_STATUS).matcher(cause.getMessage()) : null;
			if (status != null && status.find()) {
				return handshakeRefused(url, Integer.parseInt(status.group(1)), failure, tokenSent);
			}
			brokenConnection |= cause instanceof IOException;
		}
		return new ClientFailure(ExitCode.FAILED, "could not connect to " + url + ": " + failure, failure,
				brokenConnection);
	}

	/**
	 * The TLS handshake's failure, if that is what happened: the JDK nests the reason (an unknown issuer,
	 * a host name the certificate does not name) a few causes deep, under a message that says little.
	 */
	private static ClientFailure tlsFailure(URI url, String target, Throwable failure) {
		SSLException tls = null;
		boolean expired = false;
		boolean untrusted = false;
		boolean otherHost = false;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException ssl && tls == null) {
				tls = ssl;
			}
			expired |= cause instanceof CertificateExpiredException;
			untrusted |= cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException;
			otherHost |= cause instanceof CertificateException && cause.getMessage() != null
					&& (cause.getMessage().startsWith("No subject alternative") || cause.getMessage().startsWith("No name"));
		}
		if (tls == null) {
			return null;
		}
		if (expired) {
			return new ClientFailure(ExitCode.CANNOT_CONNECT,
					"the certificate of " + target + " has expired: the server needs a new one; --insecure skips the check", failure);
		}
		if (otherHost) {
			return new ClientFailure(ExitCode.CANNOT_CONNECT, "the certificate of " + target + " is not valid for '"
					+ url.getHost() + "': connect by a host name the certificate names, or pass --insecure to skip the check",
					failure);
		}
		if (untrusted) {
			return new ClientFailure(ExitCode.CANNOT_CONNECT, "the certificate of " + target
					+ " is not trusted: pass --ca-cert FILE with the server's certificate or CA, or --insecure to skip the check",
					failure);
		}
		String message = String.valueOf(tls.getMessage());
		if (message.contains("plaintext") || message.contains("Unsupported or unrecognized SSL message")) {
			return new ClientFailure(ExitCode.CANNOT_CONNECT,
					"no TLS at " + target + ": use a ws:// URL for a server without TLS", failure);
		}
		return new ClientFailure(ExitCode.CANNOT_CONNECT, "TLS handshake with " + target + " failed: " + message,
				failure);
	}

	private static ClientFailure handshakeRefused(URI url, int status, Throwable failure, boolean tokenSent) {
		String hint = switch (status) {
			case 404 -> "no WebSocket endpoint at '" + url.getPath() + "'; the server listens on /talk-to-server";
			case 403 -> "the server does not accept this origin; drop --origin or use one it allows";
			case 401 -> tokenSent ? "the server did not accept the token; check --token or TALK_TOKEN"
					: "the server wants a token: pass --token TOKEN or set TALK_TOKEN";
			case 503 -> "the server is busy or shutting down; try again shortly, or use --reconnect";
			case 429 -> "this client holds all the connections the server allows one client; close some, or"
					+ " try again once they have closed";
			case 502, 504 -> "the proxy in front has no server to hand over to; check that the servers are up";
			// A TLS port answers 400 to plain HTTP.
			case 400 -> "the server did not accept the handshake request"
					+ ("ws".equalsIgnoreCase(url.getScheme()) ? "; if it serves TLS, use a wss:// URL" : "");
			default -> "check the URL and the server's log";
		};
		return new ClientFailure(ExitCode.HANDSHAKE_REFUSED,
				"the server refused the WebSocket handshake with HTTP " + status + ": " + hint, failure,
				status == 429 || status == 502 || status == 503 || status == 504);
	}

	private static int port(URI url) {
		if (url.getPort() != -1) {
			return url.getPort();
		}
		return "wss".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
	}

	/** Puts what arrives on the queue; the conversation decides what it means. */
	private static final class EventHandler extends AbstractWebSocketHandler {

		private final int connection;

		private final BlockingQueue<Event> events;

		EventHandler(int connection, BlockingQueue<Event> events) {
			this.connection = connection;
			this.events = events;
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.events.add(new Event.Received(this.connection, message.getPayload()));
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
			this.events.add(new Event.Received(this.connection,
					"(binary message, " + message.getPayloadLength() + " bytes)"));
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
			this.events.add(new Event.TransportFailed(this.connection, exception));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.events.add(new Event.Closed(this.connection, status));
		}

	}

}
