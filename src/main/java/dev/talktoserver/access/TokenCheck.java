package dev.talktoserver.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.HandshakeRejection;
import dev.talktoserver.observability.TalkMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Lets a handshake through only with a token, when any are asked for: one of {@code talk.auth.tokens},
 * or a JWT that the resource server accepts ({@code spring.security.oauth2.resourceserver.jwt.*}, see
 * {@link JwtAccess}), whose principal the session then carries. Browsers cannot set
 * {@code Authorization} on a WebSocket, so the token may come three ways, checked in this order:
 * <ul>
 * <li>{@code Authorization: Bearer TOKEN}, for every client that can set a header;</li>
 * <li>the subprotocol {@code bearer.TOKEN}, offered beside {@value #SUBPROTOCOL}, for browsers: the
 * server selects {@value #SUBPROTOCOL} and so never sends the token back;</li>
 * <li>the {@value #QUERY_PARAMETER} query parameter, the last resort: URLs end up in proxy logs and
 * browser history.</li>
 * </ul>
 * The first carrier present is the one checked. A handshake without a valid token gets 401 with
 * {@code WWW-Authenticate: Bearer} (RFC 6750: with {@code error="invalid_token"} and, for a JWT, why),
 * one log line that names the carrier and never the token, and the {@code unauthorized} rejection
 * counter; a valid JWT without what the endpoint needs ({@code talk.auth.required-authorities}) gets
 * 403 with {@code error="insufficient_scope"}. These run ahead of Spring Security's filter chain (see
 * {@code HandshakeRoute}), so every upgrade is checked here, and only here.
 */
@Component
public final class TokenCheck implements HandshakeInterceptor {

	/** The subprotocol the server selects when a browser offers it beside its token. */
	public static final String SUBPROTOCOL = "talk";

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

	/** The handshake attribute that holds the principal of a valid JWT, for the session to carry. */
	public static final String PRINCIPAL_ATTRIBUTE = TokenCheck.class.getName() + ".principal";

	/** The handshake attribute that holds when a valid JWT expires, for the session to close then. */
	public static final String TOKEN_EXPIRES_ATTRIBUTE = TokenCheck.class.getName() + ".tokenExpires";

	/** The prefix of the authorities that Spring's converter makes of a token's scopes. */
	private static final String SCOPE_AUTHORITY = "SCOPE_";

	/** Characters of a reason in {@code WWW-Authenticate}: enough for any validator's message. */
	private static final int MAX_DESCRIPTION = 200;

	/** Seconds: a provider that failed to answer may well answer shortly. */
	private static final String RETRY_WHEN_PROVIDER_FAILS = "5";

	/** Seconds: the provider's keys are being fetched again, which takes a moment. */
	private static final String RETRY_WHEN_KEY_IS_FETCHED = "1";

	private static final Logger logger = LoggerFactory.getLogger(TokenCheck.class);

	/**
	 * SHA-256 digests of the tokens rather than the tokens: comparing digests of equal length takes the
	 * same time whatever the presented token's length, and the tokens themselves need not be kept here.
	 */
	private final List<byte[]> digests;

	private final TalkMetrics metrics;

	/** JWTs, when a resource server is configured; else null. */
	private final JwtAccess jwt;

	private final boolean closeWhenTokenExpires;

	private final WarmUpToken warmUpToken;

	/** Whether the identity provider failed the last JWT, so that the episode is logged once. */
	private final AtomicBoolean providerFailing = new AtomicBoolean();

	TokenCheck(TalkProperties properties, TalkMetrics metrics, ObjectProvider<JwtDecoder> jwtDecoder,
			ObjectProvider<JwtAuthenticationConverter> jwtConverter, WarmUpToken warmUpToken) {
		this.metrics = metrics;
		this.warmUpToken = warmUpToken;
		JwtDecoder decoder = jwtDecoder.getIfAvailable();
		this.jwt = (decoder != null) ? new JwtAccess(decoder,
				jwtConverter.getIfAvailable(JwtAuthenticationConverter::new),
				properties.auth().requiredAuthorities()) : null;
		this.closeWhenTokenExpires = properties.auth().closeWhenTokenExpires();
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
		if (this.jwt != null) {
			logger.info("handshakes need a JWT that spring.security.oauth2.resourceserver.jwt.* accepts{}",
					this.digests.isEmpty() ? "" : " or one of the " + this.digests.size() + " token(s) of talk.auth.tokens");
		}
		else if (this.digests.isEmpty()) {
			logger.info("talk.auth.tokens is empty and no JWT issuer is set: handshakes need no token");
		}
		else {
			logger.info("handshakes need one of the {} token(s) of talk.auth.tokens", this.digests.size());
		}
		if (this.jwt == null && !properties.auth().requiredAuthorities().isEmpty()) {
			throw new IllegalStateException("talk.auth.required-authorities needs JWTs, and no issuer is set: set "
					+ "spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri)");
		}
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.digests.isEmpty() && this.jwt == null) {
			return true;
		}
		Presented presented = presented(request);
		String path = request.getURI().getPath();
		if (presented.carrier() == Carrier.NONE) {
			logger.info("handshake from {} to {} refused with 401: no token (Authorization header, "
					+ "subprotocol or access_token parameter)", request.getRemoteAddress(), path);
			return refuse(response, path, HttpStatus.UNAUTHORIZED, HandshakeRejection.UNAUTHORIZED, CHALLENGE);
		}
		if (!this.digests.isEmpty() && matches(presented.token())) {
			return true;
		}
		if (this.jwt == null) {
			logger.info("handshake from {} to {} refused with 401: the token in the {} is not valid",
					request.getRemoteAddress(), path, presented.carrier().description);
			return refuse(response, path, HttpStatus.UNAUTHORIZED, HandshakeRejection.UNAUTHORIZED,
					CHALLENGE + ", error=\"invalid_token\"");
		}
		JwtAccess warmUp = this.warmUpToken.accessFor(presented.token());
		JwtAccess.Outcome outcome = ((warmUp != null) ? warmUp : this.jwt).check(presented.token(), endpoint(request));
		if (outcome instanceof JwtAccess.Outcome.Accepted accepted) {
			this.providerFailing.set(false);
			attributes.put(PRINCIPAL_ATTRIBUTE, accepted.principal());
			if (this.closeWhenTokenExpires && accepted.expiresAt() != null) {
				attributes.put(TOKEN_EXPIRES_ATTRIBUTE, accepted.expiresAt());
			}
			return true;
		}
		if (outcome instanceof JwtAccess.Outcome.Invalid invalid) {
			logger.info("handshake from {} to {} refused with 401: the JWT in the {} is not valid: {}",
					request.getRemoteAddress(), path, presented.carrier().description, invalid.why());
			return refuse(response, path, HttpStatus.UNAUTHORIZED, HandshakeRejection.UNAUTHORIZED, CHALLENGE
					+ ", error=\"invalid_token\", error_description=\"" + quotable(invalid.why()) + "\"");
		}
		if (outcome instanceof JwtAccess.Outcome.Forbidden forbidden) {
			String needed = String.join(" or ", forbidden.required());
			logger.info("handshake from {} to {} refused with 403: the token has none of {}",
					request.getRemoteAddress(), path, needed);
			return refuse(response, path, HttpStatus.FORBIDDEN, HandshakeRejection.FORBIDDEN,
					CHALLENGE + ", error=\"insufficient_scope\", error_description=\"this endpoint needs "
							+ quotable(needed) + "\"" + scopes(forbidden.required()));
		}
		if (outcome instanceof JwtAccess.Outcome.KeyBeingFetched) {
			// No line: the key fetch logs what it brings, and made-up key ids would otherwise write one each.
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_WHEN_KEY_IS_FETCHED);
			return refuse(response, path, HttpStatus.SERVICE_UNAVAILABLE, HandshakeRejection.IDENTITY_PROVIDER, null);
		}
		// Once per episode: every handshake fails alike until the provider answers again.
		if (this.providerFailing.compareAndSet(false, true)) {
			logger.warn("handshakes with a JWT get 503: the token cannot be checked ({}); check "
					+ "spring.security.oauth2.resourceserver.jwt.* and that the identity provider is up",
					((JwtAccess.Outcome.Unavailable) outcome).why());
		}
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_WHEN_PROVIDER_FAILS);
		return refuse(response, path, HttpStatus.SERVICE_UNAVAILABLE, HandshakeRejection.IDENTITY_PROVIDER, null);
	}

	private boolean refuse(ServerHttpResponse response, String path, HttpStatus status, HandshakeRejection rejection,
			String challenge) {
		if (challenge != null) {
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		}
		this.metrics.handshakeRejected(path, rejection);
		response.setStatusCode(status);
		return false;
	}

	/** The endpoint as registered, without the context path the request's own path has. */
	private static String endpoint(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servletRequest) {
			HttpServletRequest servlet = servletRequest.getServletRequest();
			return servlet.getRequestURI().substring(servlet.getContextPath().length());
		}
		return request.getURI().getPath();
	}

	/** RFC 6750's {@code scope} attribute, for the required authorities that are scopes. */
	private static String scopes(List<String> required) {
		List<String> scopes = required.stream()
			.filter((authority) -> authority.startsWith(SCOPE_AUTHORITY))
			.map((authority) -> authority.substring(SCOPE_AUTHORITY.length()))
			.toList();
		return scopes.isEmpty() ? "" : ", scope=\"" + quotable(String.join(" ", scopes)) + "\"";
	}

	/** Text that can stand in a quoted string of a header (RFC 6750 allows printable ASCII but " and \\). */
	private static String quotable(String text) {
		StringBuilder quotable = new StringBuilder(Math.min(text.length(), MAX_DESCRIPTION));
		for (int i = 0; i < text.length() && quotable.length() < MAX_DESCRIPTION; i++) {
			char c = text.charAt(i);
			quotable.append((c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? '\'' : c);
		}
		return quotable.toString();
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
		if (request instanceof ServletServerHttpRequest servletRequest) {
			HttpServletRequest servlet = servletRequest.getServletRequest();
			Object taken = servlet.getAttribute(QueryToken.ATTRIBUTE);
			if (taken instanceof String token) {
				servlet.removeAttribute(QueryToken.ATTRIBUTE);
				return new Presented(Carrier.QUERY, decode(token));
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
		if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
			// A JWT or a token of ours as it always comes: URLDecoder would copy it a char at a time.
			return value;
		}
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
