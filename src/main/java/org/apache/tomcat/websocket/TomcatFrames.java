package org.apache.tomcat.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

/**
 * The one way from this project into Tomcat's frame writer, from inside its package (this class ships in
 * the project's own jar, not Tomcat's): a frame of any kind, sent without blocking. Tomcat's public API
 * sends whole messages only without blocking; its partial sends and its pings block the calling thread
 * until the client has taken the frame, and its asynchronous text is cut into frames of its 512-byte
 * buffer, each completed on another thread. The method those all end in,
 * {@code WsRemoteEndpointImplBase.startMessage}, writes one frame (a fragment, a whole message or a
 * control frame, compressed when the session is), queues a control frame behind a frame under way, and
 * reports through a {@link SendHandler} when the frame has reached the socket. It is package-private in
 * Tomcat 11, whose version the pom pins.
 */
public final class TomcatFrames {

	private TomcatFrames() {
	}

	/** The frame writer behind a Tomcat session, or null when the session is not one of Tomcat's. */
	public static WsRemoteEndpointImplBase writerOf(Session session) {
		return (session.getAsyncRemote() instanceof WsRemoteEndpointBase remote) ? remote.base : null;
	}

	/**
	 * Writes one frame: {@code opCode} is the message's (text or binary; Tomcat marks all but a
	 * message's first frame as continuations) or a control frame's. Returns at once; {@code done} hears
	 * of the result, usually on another thread. One data frame at a time: the next only after {@code done}.
	 */
	public static void send(WsRemoteEndpointImplBase writer, byte opCode, ByteBuffer payload, boolean last,
			SendHandler done) {
		writer.startMessage(opCode, payload, last, done);
	}

	/**
	 * The lock that the thread reading from the connection holds while it delivers what it has read:
	 * reading resumed under it is resumed once that thread is done, never in the middle of its way out.
	 */
	public static ReentrantLock socketLock(WsRemoteEndpointImplBase writer) {
		return writer.getLock();
	}

}
