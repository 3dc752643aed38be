package org.apache.tomcat.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;

/**
 * Unmasks what a client sends eight bytes at a time, in place of Tomcat's own step, which takes one byte
 * at a time and writes a volatile counter for each: about 8 ns per byte, most of a large message's cost
 * on the server (a 64 KiB message spent more there than the Go server spends on its whole round trip).
 * Installed on a session as it opens, before its first frame is read, as the last step of the frame
 * reader's chain: the whole chain without compression, behind the inflater with it. It reads and moves
 * the frame reader's own counters (payload length and position, mask and its index), which are private
 * to Tomcat 11's {@code WsFrameBase}, whose version the pom pins; where any is missing, Tomcat's own
 * step stays.
 */
public final class TomcatUnmasking implements Transformation {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final Parts PARTS = Parts.find();

	private final WsFrameBase frame;

	private final byte[] mask;

	private TomcatUnmasking(WsFrameBase frame, byte[] mask) {
		this.frame = frame;
		this.mask = mask;
	}

	/** Installs the unmasking on a Tomcat session just opened; false where it cannot be. */
	public static boolean install(Session session) {
		if (PARTS == null || !(session instanceof WsSession wsSession)) {
			return false;
		}
		try {
			WsFrameBase frame = (WsFrameBase) PARTS.frame.get(wsSession);
			if (frame == null || !frame.isMasked()) {
				return false;
			}
			TomcatUnmasking unmasking = new TomcatUnmasking(frame, (byte[]) PARTS.mask.get(frame));
			Transformation first = frame.getTransformation();
			if (first == null) {
				return false;
			}
			if (first.getClass().getEnclosingClass() == WsFrameBase.class) {
				// No extension: Tomcat's unmasking is the whole chain.
				PARTS.transformation.set(frame, unmasking);
			}
			else {
				// An extension (permessage-deflate, checked): its next step is the last.
				first.setNext(unmasking);
			}
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return false;
		}
	}

	@Override
	public TransformationResult getMoreData(byte opCode, boolean fin, int rsv, ByteBuffer dest) {
		ByteBuffer in = this.frame.inputBuffer;
		long length = (long) PARTS.payloadLength.get(this.frame);
		long written = (long) PARTS.payloadWritten.getVolatile(this.frame);
		int count = (int) Math.min(length - written, Math.min(in.remaining(), dest.remaining()));
		if (count > 0) {
			int index = (int) PARTS.maskIndex.get(this.frame);
			unmask(in, dest, count, index);
			PARTS.maskIndex.set(this.frame, (index + count) & 3);
			written += count;
			PARTS.payloadWritten.setVolatile(this.frame, written);
		}
		if (written == length) {
			return TransformationResult.END_OF_FRAME;
		}
		return in.hasRemaining() ? TransformationResult.OVERFLOW : TransformationResult.UNDERFLOW;
	}

	private void unmask(ByteBuffer in, ByteBuffer dest, int count, int index) {
		if (!in.hasArray() || !dest.hasArray()) {
			for (int i = 0; i < count; i++) {
				dest.put((byte) (in.get() ^ this.mask[(index + i) & 3]));
			}
			return;
		}
		byte[] from = in.array();
		byte[] to = dest.array();
		int src = in.arrayOffset() + in.position();
		int dst = dest.arrayOffset() + dest.position();
		long word = 0;
		for (int i = 7; i >= 0; i--) {
			word = (word << 8) | (this.mask[(index + i) & 3] & 0xFFL);
		}
		int i = 0;
		for (; i <= count - 8; i += 8) {
			LONGS.set(to, dst + i, (long) LONGS.get(from, src + i) ^ word);
		}
		for (; i < count; i++) {
			to[dst + i] = (byte) (from[src + i] ^ this.mask[(index + i) & 3]);
		}
		in.position(in.position() + count);
		dest.position(dest.position() + count);
	}

	@Override
	public List<MessagePart> sendMessagePart(List<MessagePart> messageParts) {
		return messageParts;
	}

	@Override
	public void setNext(Transformation next) {
	}

	@Override
	public boolean validateRsvBits(int i) {
		return true;
	}

	@Override
	public boolean validateRsv(int rsv, byte opCode) {
		return rsv == 0;
	}

	@Override
	public Extension getExtensionResponse() {
		return null;
	}

	@Override
	public void close() {
	}

	/** The frame reader's private fields, found once; null where this Tomcat differs. */
	private record Parts(VarHandle frame, VarHandle mask, VarHandle maskIndex, VarHandle payloadLength,
			VarHandle payloadWritten, Field transformation) {

		static Parts find() {
			try {
				MethodHandles.Lookup session = MethodHandles.privateLookupIn(WsSession.class, MethodHandles.lookup());
				MethodHandles.Lookup frame = MethodHandles.privateLookupIn(WsFrameBase.class, MethodHandles.lookup());
				Field transformation = WsFrameBase.class.getDeclaredField("transformation");
				transformation.setAccessible(true);
				return new Parts(session.findVarHandle(WsSession.class, "wsFrame", WsFrameBase.class),
						frame.findVarHandle(WsFrameBase.class, "mask", byte[].class),
						frame.findVarHandle(WsFrameBase.class, "maskIndex", int.class),
						frame.findVarHandle(WsFrameBase.class, "payloadLength", long.class),
						frame.findVarHandle(WsFrameBase.class, "payloadWritten", long.class), transformation);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

	}

}
