package org.apache.tomcat.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;

import jakarta.websocket.Session;
import org.apache.tomcat.util.buf.ByteBufferUtils;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.websocket.server.WsFrameServer;

/**
 * The buffers that Tomcat reads one connection's messages into, made larger while a large message
 * arrives and small again once it has: the socket's read buffer, and the message buffer that Tomcat
 * hands on in parts when it is full. Small, an idle connection costs little; larger, a large message
 * takes a few reads and parts instead of one per 512 bytes. Only on the thread that reads from the
 * connection, while it delivers a part (Tomcat goes on with whichever buffer is there when the part
 * returns), or under the socket's lock, which that thread holds while it reads. Tomcat allocates a new
 * message buffer for each message whose buffer differs in size from the session's buffer size: that size
 * follows the buffer, so that a grown one serves the messages that follow until it is put back. The fields are private to Tomcat 11's frame reader, whose version
 * the pom pins; where any is missing, {@link #of} finds nothing and the buffers stay as they are.
 */
public final class TomcatReadBuffers {

	private static final Fields FIELDS = Fields.find();

	private final WsSession session;

	private final WsFrameBase frame;

	private final SocketBufferHandler socket;

	/** The small buffers, put back when the message is in. */
	private ByteBuffer smallBinary;

	private CharBuffer smallText;

	private ByteBuffer smallSocket;

	private TomcatReadBuffers(WsSession session, WsFrameBase frame, SocketBufferHandler socket) {
		this.session = session;
		this.frame = frame;
		this.socket = socket;
	}

	/** The read buffers of a Tomcat session, or null where they cannot be reached. */
	public static TomcatReadBuffers of(Session session) {
		if (FIELDS == null || !(session instanceof WsSession wsSession)) {
			return null;
		}
		try {
			if (FIELDS.frame.get(wsSession) instanceof WsFrameServer frame
					&& FIELDS.socketWrapper.get(frame) instanceof SocketWrapperBase<?> wrapper
					&& wrapper.getSocketBufferHandler() != null) {
				return new TomcatReadBuffers(wsSession, frame, wrapper.getSocketBufferHandler());
			}
		}
		catch (RuntimeException ex) {
			// Another Tomcat: the buffers stay as they are.
		}
		return null;
	}

	/** What is left of the frame being read, as its header declared it. */
	public long remainingInFrame() {
		return (long) FIELDS.payloadLength.get(this.frame) - (long) FIELDS.payloadWritten.getVolatile(this.frame);
	}

	/**
	 * Puts larger buffers in place for the rest of the message, while a part of it is being delivered:
	 * parts of up to {@code partUnits} (bytes, or characters for text), and the socket read up to
	 * {@code socketBytes} at a time. Returns the bytes the read buffers hold beyond the small ones.
	 */
	public long grow(int partUnits, int socketBytes) {
		if ((boolean) FIELDS.textMessage.get(this.frame)) {
			CharBuffer text = (CharBuffer) FIELDS.messageBufferText.get(this.frame);
			if (text.capacity() < partUnits) {
				if (this.smallText == null) {
					this.smallText = text;
				}
				FIELDS.messageBufferText.set(this.frame, CharBuffer.allocate(partUnits));
				this.session.setMaxTextMessageBufferSize(partUnits);
			}
		}
		else {
			ByteBuffer binary = (ByteBuffer) FIELDS.messageBufferBinary.get(this.frame);
			if (binary.capacity() < partUnits) {
				if (this.smallBinary == null) {
					this.smallBinary = binary;
				}
				FIELDS.messageBufferBinary.set(this.frame, ByteBuffer.allocate(partUnits));
				this.session.setMaxBinaryMessageBufferSize(partUnits);
			}
		}
		if (this.socket.getReadBuffer().capacity() < socketBytes) {
			// In write mode, and what it holds kept: Tomcat may have read past the frame it is in.
			this.socket.configureReadBufferForWrite();
			ByteBuffer current = this.socket.getReadBuffer();
			if (this.smallSocket == null) {
				this.smallSocket = current;
			}
			FIELDS.socketReadBuffer.setVolatile(this.socket, ByteBufferUtils.expand(current, socketBytes));
		}
		return held();
	}

	/**
	 * Puts the small buffers back, while a part is being delivered: Tomcat clears whichever message buffer
	 * is in place once the part returns. The socket's stays large while it holds what the client sent
	 * next. Returns the bytes the read buffers still hold beyond the small ones.
	 */
	public long shrink() {
		if (this.smallText != null) {
			this.session.setMaxTextMessageBufferSize(this.smallText.capacity());
			FIELDS.messageBufferText.set(this.frame, this.smallText.clear());
			this.smallText = null;
		}
		if (this.smallBinary != null) {
			this.session.setMaxBinaryMessageBufferSize(this.smallBinary.capacity());
			FIELDS.messageBufferBinary.set(this.frame, this.smallBinary.clear());
			this.smallBinary = null;
		}
		if (this.smallSocket != null && this.socket.isReadBufferEmpty()) {
			this.socket.configureReadBufferForWrite();
			FIELDS.socketReadBuffer.setVolatile(this.socket, this.smallSocket.clear());
			this.smallSocket = null;
		}
		return held();
	}

	/**
	 * Puts the small buffers back for a connection that has gone quiet, from another thread while the
	 * reading one is out (under the socket's lock). A message buffer that holds part of a message not yet
	 * delivered stays, and with it the rest, until a later try. Returns what the read buffers still hold
	 * beyond the small ones.
	 */
	public long shrinkQuiet() {
		if ((this.smallText != null && ((CharBuffer) FIELDS.messageBufferText.get(this.frame)).position() > 0)
				|| (this.smallBinary != null
						&& ((ByteBuffer) FIELDS.messageBufferBinary.get(this.frame)).position() > 0)) {
			return held();
		}
		return shrink();
	}

	private long held() {
		long held = 0;
		if (this.smallText != null) {
			held += 2L * (((CharBuffer) FIELDS.messageBufferText.get(this.frame)).capacity() - this.smallText.capacity());
		}
		if (this.smallBinary != null) {
			held += ((ByteBuffer) FIELDS.messageBufferBinary.get(this.frame)).capacity() - this.smallBinary.capacity();
		}
		if (this.smallSocket != null) {
			held += this.socket.getReadBuffer().capacity() - this.smallSocket.capacity();
		}
		return held;
	}

	/** Tomcat's private fields, found once; null where this Tomcat differs. */
	private record Fields(VarHandle frame, VarHandle socketWrapper, VarHandle textMessage,
			VarHandle messageBufferBinary, VarHandle messageBufferText, VarHandle payloadLength,
			VarHandle payloadWritten, VarHandle socketReadBuffer) {

		static Fields find() {
			try {
				MethodHandles.Lookup here = MethodHandles.lookup();
				MethodHandles.Lookup session = MethodHandles.privateLookupIn(WsSession.class, here);
				MethodHandles.Lookup server = MethodHandles.privateLookupIn(WsFrameServer.class, here);
				MethodHandles.Lookup base = MethodHandles.privateLookupIn(WsFrameBase.class, here);
				MethodHandles.Lookup socket = MethodHandles.privateLookupIn(SocketBufferHandler.class, here);
				return new Fields(session.findVarHandle(WsSession.class, "wsFrame", WsFrameBase.class),
						server.findVarHandle(WsFrameServer.class, "socketWrapper", SocketWrapperBase.class),
						base.findVarHandle(WsFrameBase.class, "textMessage", boolean.class),
						base.findVarHandle(WsFrameBase.class, "messageBufferBinary", ByteBuffer.class),
						base.findVarHandle(WsFrameBase.class, "messageBufferText", CharBuffer.class),
						base.findVarHandle(WsFrameBase.class, "payloadLength", long.class),
						base.findVarHandle(WsFrameBase.class, "payloadWritten", long.class),
						socket.findVarHandle(SocketBufferHandler.class, "readBuffer", ByteBuffer.class));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

	}

}
