package dev.talktoserver.observability;

/** Why a WebSocket handshake was turned away: the {@code reason} tag of {@code talk.handshakes.rejected}. */
public enum HandshakeRejection {

	/** 403: a page of an origin that is not allowed. */
	ORIGIN,

	/** 401: {@code talk.auth.tokens} are set and the handshake carried none of them. */
	UNAUTHORIZED,

	/** 403: a valid JWT without any of the authorities that the endpoint needs. */
	FORBIDDEN,

	/** 503: a JWT could not be checked, the identity provider's keys being out of reach. */
	IDENTITY_PROVIDER,

	/** 503: {@code talk.max-connections} connections are open. */
	CAPACITY,

	/** 429: the client holds its {@code talk.max-connections-per-client} connections already. */
	CLIENT_SHARE,

	/** 503: the open connections hold all of {@code talk.memory-budget}. */
	MEMORY,

	/** 503: the server is shutting down. */
	SHUTTING_DOWN,

	/** 400 or 426: not a valid WebSocket upgrade request. */
	BAD_REQUEST;

	/** The tag value: lower case, as Prometheus labels usually are. */
	public String tag() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
