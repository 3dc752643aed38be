package dev.talktoserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the service lets an operator set, under the {@code talk} prefix. Spring Boot has no
 * WebSocket server properties of its own, so ours live here; the README's configuration table lists
 * each one.
 *
 * @param reply the text sent back for every text message on {@code /talk-to-server}
 * @param allowedOrigins origins (exact, or patterns such as {@code https://*.example.com}) whose pages
 * may open a connection; empty means the server's own origin only. Clients that send no {@code Origin}
 * (command-line tools) are always accepted.
 * @param maxTextMessageSize the largest text message accepted on {@code /talk-to-server}; larger ones
 * close the connection with 1009
 * @param maxConnections open connections beyond which a handshake gets 503 with {@code Retry-After}
 * @param maxConnectionsPerClient open connections one client may hold (its principal where it has one,
 * else its address); beyond them its handshakes get 429 with {@code Retry-After}, while other clients
 * still connect
 * @param handshakeTimeout how long a new connection may take to complete its HTTP upgrade request
 * @param pingInterval how often a connection from which nothing has arrived is pinged
 * @param idleTimeout how long a connection may send nothing, not even a pong, before it is closed
 * @param sendTimeLimit how long a frame may wait for the client to take it before the connection is dropped
 * and closed with 1008
 * @param sendBufferSizeLimit how many bytes may wait to be sent to a client before the server stops reading
 * from it, until half of them have gone: a client that sends faster than it reads is slowed to the pace
 * at which it reads
 * @param memoryBudget how much all connections together may hold (idle connections, compression state,
 * waiting replies, messages arriving in parts) before handshakes get 503 and the connections holding the
 * most are closed with 1013; unset: half the JVM's maximum heap
 * @param maxMessagesPerSecond messages a connection may send per second (0: no limit); beyond it the
 * connection is closed with 1008
 * @param maxMessagesPerSecondPerClient messages all the connections of one client (its principal, else its
 * address) may send per second together (0: no limit); beyond it the connection that sent the message is
 * closed with 1008
 * @param compression whether messages may be compressed (permessage-deflate, RFC 7692)
 * @param echo the {@code /echo} endpoint
 * @param warmUp what the server does to itself before it reports itself ready
 * @param log how incoming messages are written to the log
 * @param auth who may open a connection
 */
@ConfigurationProperties("talk")
public record TalkProperties(@DefaultValue("Hello from server!") String reply, @DefaultValue List<String> allowedOrigins,
		@DefaultValue("64KB") DataSize maxTextMessageSize, @DefaultValue("10000") int maxConnections,
		@DefaultValue("500") int maxConnectionsPerClient,
		@DefaultValue("10s") Duration handshakeTimeout, @DefaultValue("30s") Duration pingInterval,
		@DefaultValue("75s") Duration idleTimeout, @DefaultValue("10s") Duration sendTimeLimit,
		@DefaultValue("16KB") DataSize sendBufferSizeLimit, DataSize memoryBudget,
		@DefaultValue("0") int maxMessagesPerSecond, @DefaultValue("0") int maxMessagesPerSecondPerClient,
		@DefaultValue Compression compression, @DefaultValue Echo echo, @DefaultValue WarmUp warmUp,
		@DefaultValue Log log, @DefaultValue Auth auth) {

	/**
	 * @param handshakes handshakes the server makes to itself over loopback before it reports itself
	 * ready, so that the first storm of clients finds the handshake path compiled; 0 for none
	 */
	public record WarmUp(@DefaultValue("2000") int handshakes) {
	}

	/**
	 * @param enabled whether the handshake accepts a client's offer of permessage-deflate (RFC 7692), on
	 * every endpoint; when off, the offer is declined and the client talks uncompressed, as every client
	 * can. Off by default: docs/protocol.md, Compression, has the price in CPU and memory
	 */
	public record Compression(@DefaultValue("false") boolean enabled) {
	}

	/**
	 * @param maxMessageSize the largest message, text or binary, that {@code /echo} echoes; larger ones
	 * close the connection with 1009
	 */
	public record Echo(@DefaultValue("16MB") DataSize maxMessageSize) {
	}

	/**
	 * @param maxMessageChars how many characters of a message the log shows before it cuts the rest
	 * @param consoleBatchInterval how long console lines are collected before they are written together,
	 * in one write instead of one per line; 0 writes every line at once
	 */
	public record Log(@DefaultValue("200") int maxMessageChars, @DefaultValue("10ms") Duration consoleBatchInterval) {
	}

	/**
	 * @param tokens shared tokens, any one of which opens a connection, sent as {@code Authorization:
	 * Bearer}, as the subprotocol {@code bearer.TOKEN}, or as the {@code access_token} query parameter;
	 * empty means no token is needed, unless JWTs are ({@code spring.security.oauth2.resourceserver.jwt.*})
	 * @param requiredAuthorities per endpoint path ({@code [/echo]}), the authorities of a JWT any one of
	 * which it needs: {@code SCOPE_x} for the scope {@code x}, or what the JWT converter is set to make
	 * ({@code spring.security.oauth2.resourceserver.jwt.authorities-claim-name}, {@code authority-prefix});
	 * a JWT without one gets 403
	 * @param closeWhenTokenExpires whether a connection opened with a JWT is closed, with 1008, when the
	 * token expires
	 * @param keyRefreshInterval how often the identity provider's signing keys are fetched again
	 * ({@code issuer-uri} or {@code jwk-set-uri})
	 * @param keyFetchMinInterval how soon after the last one a token that names a key not among them may
	 * have the keys fetched again (a provider's new key), and how soon a failed fetch is tried again (1 s at the least)
	 * @param keyFetchTimeout how long a fetch of the provider's keys (or metadata) may take to connect, and
	 * then to read; the fetch has a thread of its own, which no handshake waits on
	 */
	public record Auth(@DefaultValue List<String> tokens, @DefaultValue Map<String, List<String>> requiredAuthorities,
			@DefaultValue("true") boolean closeWhenTokenExpires, @DefaultValue("5m") Duration keyRefreshInterval,
			@DefaultValue("10s") Duration keyFetchMinInterval, @DefaultValue("5s") Duration keyFetchTimeout) {

		/** Says how many tokens there are, never what they are: records print every field otherwise. */
		@Override
		public String toString() {
			return "Auth[tokens=" + this.tokens.size() + " configured, requiredAuthorities=" + this.requiredAuthorities
					+ ", closeWhenTokenExpires=" + this.closeWhenTokenExpires + ", keyRefreshInterval="
					+ this.keyRefreshInterval + ", keyFetchMinInterval=" + this.keyFetchMinInterval + ", keyFetchTimeout="
					+ this.keyFetchTimeout + "]";
		}

	}

}
