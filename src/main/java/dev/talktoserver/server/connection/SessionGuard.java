package dev.talktoserver.server.connection;

import dev.talktoserver.observability.EndpointMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * What every endpoint needs around its own handler: the session is registered while it is open, every
 * frame counts as a sign of life, messages are held to the endpoint's size limit and the rate limit and
 * counted, and a failure closes only the session it happened on, with a code that says why, logged
 * once here.
 */
final class SessionGuard extends WebSocketHandlerDecorator {

	private static final Logger logger = LoggerFactory.getLogger(SessionGuard.class);

	private final EndpointMeters meters;

	private final long maxMessageBytes;

	private final SessionRegistry sessions;

	private final SessionTuning tuning;

	private final int maxMessagesPerSecond;

	SessionGuard(WebSocketHandler handler, EndpointMeters meters, long maxMessageBytes, SessionRegistry sessions,
			SessionTuning tuning, int maxMessagesPerSecond) {
		super(handler);
		this.meters = meters;
		this.maxMessageBytes = maxMessageBytes;
		this.sessions = sessions;
		this.tuning = tuning;
		this.maxMessagesPerSecond = maxMessagesPerSecond;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		this.tuning.apply(session);
		// Registered before it is counted: reading from the connection, and so its close, starts after this.
		TalkSession talkSession = this.sessions.register(session, this.meters);
		this.meters.opened(talkSession.compressed());
		logger.debug("session {} ({}) opened on {}", talkSession.id(), talkSession.who(),
				talkSession.endpoint());
		super.afterConnectionEstablished(session);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		TalkSession talkSession = this.sessions.get(session);
		if (talkSession == null || !talkSession.isOpen()) {
			return;
		}
		talkSession.markReceived();
		if (message instanceof PongMessage) {
			return;
		}
		boolean last = message.isLast();
		long messageBytes = talkSession.addToMessage(payloadBytes(message), last);
		talkSession.partArriving(last, messageBytes);
		if (messageBytes > this.maxMessageBytes) {
			talkSession.close(CloseStatuses.tooBig(this.maxMessageBytes));
			return;
		}
		if (last) {
			if (!talkSession.withinRateLimit()) {
				talkSession.close(CloseStatuses.rateLimited(this.maxMessagesPerSecond));
				return;
			}
			if (!this.sessions.withinClientRate(talkSession)) {
				talkSession.close(CloseStatuses.clientRateLimited(this.sessions.clientRateLimit()));
				return;
			}
			this.meters.received(messageBytes);
		}
		long start = System.nanoTime();
		try {
			super.handleMessage(session, message);
		}
		catch (Exception ex) {
			logger.error("session {} ({}) on {}: message handling failed; closing with 1011", talkSession.id(),
					talkSession.who(), talkSession.endpoint(), ex);
			talkSession.close(CloseStatuses.INTERNAL_ERROR);
		}
		finally {
			this.meters.handled(System.nanoTime() - start);
		}
		talkSession.yieldIfTurnIsOver();
	}

	/** Bytes on the wire: for text, its UTF-8 length, worked out without encoding it again. */
	private static int payloadBytes(WebSocketMessage<?> message) {
		if (message instanceof TextMessage text) {
			return Utf8.encodedLength(text.getPayload());
		}
		return (message instanceof BinaryMessage) ? message.getPayloadLength() : 0;
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
		// A client that goes away mid-frame is routine; Spring closes the session next.
		logger.debug("session {} transport error: {}", session.getId(), exception.toString());
		super.handleTransportError(session, exception);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
		TalkSession talkSession = this.sessions.remove(session);
		if (talkSession != null) {
			this.meters.closed(status.getCode(), talkSession.compressed());
			logger.debug("session {} ({}) on {} closed with {} {}", talkSession.id(), talkSession.who(),
					talkSession.endpoint(), status.getCode(), (status.getReason() != null) ? status.getReason() : "");
		}
		super.afterConnectionClosed(session, status);
	}

}
