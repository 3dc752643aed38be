package dev.talktoserver.server.handshake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.HandshakeRejection;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Lets a handshake through only with one of {@code talk.auth.tokens}, when any are set. Browsers cannot
 * set {@code Authorization} on a WebSocket, so the token may come three ways, checked in this order:
 * <ul>
 * <li>{@code Authorization: Bearer TOKEN}, for every client that can set a header;</li>
 * <li>the subprotocol {@code bearer.TOKEN}, offered beside {@value #SUBPROTOCOL}, for browsers: the
 * server selects {@value #SUBPROTOCOL} and so never sends the token back;</li>
 * <li>the {@value #QUERY_PARAMETER} query parameter, the last resort: URLs end up in proxy logs and
 * browser history.</li>
 * </ul>
 * The first carrier present is the one checked. A handshake without a valid token gets 401 with
 * {@code WWW-Authenticate: Bearer}, one log line that names the carrier and never the token, and the
 * {@code unauthorized} rejection counter.
 */
@Component
class TokenCheck implements HandshakeInterceptor {

	/** The subprotocol the server selects when a browser offers it beside its token. */
	static final String SUBPROTOCOL = "talk";

	/** A subprotocol with this prefix carries a token instead of naming a protocol. */
	static final String SUBPROTOCOL_TOKEN_PREFIX = "bearer.";

	static final String QUERY_PARAMETER = "access_token";

	/**
	 * URI-unreserved characters: a token of these can be carried as a header, a subprotocol and a
	 * query parameter alike, without encoding.
	 */
	private static final Pattern TOKEN_CHARACTERS = Pattern.compile("[A-Za-z0-9._~-]+");

	/** Shorter tokens are worth a warning: they can be guessed, or were typed as a placeholder. */
	private static final int SHORT_TOKEN = 16;

	private static final String BEARER = "Bearer ";

	private static final String CHALLENGE = "Bearer realm=\"talk-to-server\"";

	private static final Logger logger = LoggerFactory.getLogger(TokenCheck.class);

	/**
	 * SHA-256 digests of the tokens rather than the tokens: comparing digests of equal length takes the
	 * same time whatever the presented token's length, and the tokens themselves need not be kept here.
	 */
	private final List<byte[]> digests;

	private final TalkMetrics metrics;

	TokenCheck(TalkProperties properties, TalkMetrics metrics) {
		this.metrics = metrics;
		List<String> tokens = properties.auth().tokens();
		List<byte[]> digests = new ArrayList<>();
		for (int i = 0; i < tokens.size(); i++) {
			String token = tokens.get(i);
			// Never the token itself in these messages: a start-up failure lands in the same logs.
			if (token == null || !TOKEN_CHARACTERS.matcher(token).matches()) {
				throw new IllegalStateException("talk.auth.tokens[" + i + "] is empty or has characters other than "
						+ "letters, digits, '-', '.', '_' and '~', which a subprotocol or URL cannot carry as they are; "
						+ "make one with: openssl rand -hex 32");
			}
			if (token.length() < SHORT_TOKEN) {
				logger.warn("talk.auth.tokens[{}] is shorter than {} characters and easy to guess; "
						+ "make one with: openssl rand -hex 32", i, SHORT_TOKEN);
			}
			digests.add(sha256(token));
		}
		this.digests = List.copyOf(digests);
		if (this.digests.isEmpty()) {
			logger.info("talk.auth.tokens is empty: handshakes need no token");
		}
		else {
			logger.info("handshakes need one of the {} token(s) of talk.auth.tokens", this.digests.size());
		}
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.digests.isEmpty()) {
			return true;
		}
		Presented presented = presented(request);
		if (presented.carrier() != Carrier.NONE && matches(presented.token())) {
			return true;
		}
		String path = request.getURI().getPath();
		if (presented.carrier() == Carrier.NONE) {
			logger.info("handshake from {} to {} refused with 401: no token (Authorization header, "
					+ "subprotocol or access_token parameter)", request.getRemoteAddress(), path);
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		}
		else {
			logger.info("handshake from {} to {} refused with 401: the token in the {} is not valid",
					request.getRemoteAddress(), path, presented.carrier().description);
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"invalid_token\"");
		}
		this.metrics.handshakeRejected(path, HandshakeRejection.UNAUTHORIZED);
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
	}

	/** Whether the token is one of ours; every digest is compared, so the time says nothing about which. */
	private boolean matches(String token) {
		byte[] digest = sha256(token);
		boolean match = false;
		for (byte[] candidate : this.digests) {
			match |= MessageDigest.isEqual(candidate, digest);
		}
		return match;
	}

	private static Presented presented(ServerHttpRequest request) {
		String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return new Presented(Carrier.HEADER, authorization.substring(BEARER.length()).trim());
		}
		List<String> offered = request.getHeaders().get("Sec-WebSocket-Protocol");
		if (offered != null) {
			for (String value : offered) {
				for (String protocol : value.split(",")) {
					String trimmed = protocol.trim();
					if (trimmed.regionMatches(true, 0, SUBPROTOCOL_TOKEN_PREFIX, 0, SUBPROTOCOL_TOKEN_PREFIX.length())) {
						return new Presented(Carrier.SUBPROTOCOL, trimmed.substring(SUBPROTOCOL_TOKEN_PREFIX.length()));
					}
				}
			}
		}
		String query = request.getURI().getRawQuery();
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith(QUERY_PARAMETER + "=")) {
					String value = parameter.substring(QUERY_PARAMETER.length() + 1);
					return new Presented(Carrier.QUERY, decode(value));
				}
			}
		}
		return new Presented(Carrier.NONE, null);
	}

	/** A malformed escape is no token at all, and so a 401 rather than a server error. */
	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

	private static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	/** Where a handshake carried its token; the log names it, so an operator knows which client to fix. */
	private enum Carrier {

		NONE("request"), HEADER("Authorization header"), SUBPROTOCOL("Sec-WebSocket-Protocol header"),
		QUERY("access_token query parameter");

		private final String description;

		Carrier(String description) {
			this.description = description;
		}

	}

	/** A token and where it came from; deliberately without a toString that would show it. */
	private record Presented(Carrier carrier, String token) {

		@Override
		public String toString() {
			return "Presented[" + this.carrier + "]";
		}

	}

}
