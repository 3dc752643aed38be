package dev.talktoserver.server.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DataFormatException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Extension;
import org.apache.tomcat.websocket.MessagePart;
import org.apache.tomcat.websocket.PerMessageDeflate;
import org.apache.tomcat.websocket.Transformation;
import org.apache.tomcat.websocket.TransformationFactory;
import org.apache.tomcat.websocket.TransformationResult;
import org.apache.tomcat.websocket.WsIOException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.stereotype.Component;

/**
 * Tomcat's permessage-deflate, held to two rules of RFC 7692 that it lets pass: only the first frame of
 * a message may set RSV1 (section 6.1; on a continuation frame it fails the connection with 1002, as any
 * reserved bit no extension defines does, RFC 6455 section 5.2; Tomcat accepts it), and a payload that
 * does not inflate fails the connection with 1007, invalid frame payload data, as Node's {@code ws} does
 * too (Tomcat sends 1002). Everything else is Tomcat's own. Tomcat keeps one table of extensions for the whole JVM, so the
 * checked version replaces its own there once, for every server in the process.
 */
@Component
@ConditionalOnClass(TransformationFactory.class)
class TomcatDeflateChecks {

	private static boolean installed;

	TomcatDeflateChecks() {
		install();
	}

	static synchronized void install() {
		if (!installed) {
			TransformationFactory.getInstance().registerExtension(PerMessageDeflate.NAME, TomcatDeflateChecks::build);
			installed = true;
		}
	}

	private static Transformation build(List<List<Extension.Parameter>> preferences, boolean isServer) {
		Transformation deflate = PerMessageDeflate.BUILDER.build(preferences, isServer);
		return (deflate != null) ? new Checked(deflate) : null;
	}

	/** Tomcat's transformation, with the checks in front of it. */
	private static final class Checked implements Transformation {

		/** RSV1 as Tomcat passes the reserved bits: the three of them as a number, RSV1 the highest. */
		private static final int RSV1 = 0b100;

		private static final byte CONTINUATION = 0;

		private final Transformation deflate;

		Checked(Transformation deflate) {
			this.deflate = deflate;
		}

		@Override
		public boolean validateRsv(int rsv, byte opCode) {
			if (opCode == CONTINUATION && (rsv & RSV1) != 0) {
				return false;
			}
			return this.deflate.validateRsv(rsv, opCode);
		}

		@Override
		public TransformationResult getMoreData(byte opCode, boolean fin, int rsv, ByteBuffer dest)
				throws IOException {
			try {
				return this.deflate.getMoreData(opCode, fin, rsv, dest);
			}
			catch (IOException ex) {
				if (ex.getCause() instanceof DataFormatException) {
					throw new WsIOException(new CloseReason(CloseCodes.NOT_CONSISTENT,
							"compressed payload does not inflate (RFC 7692)"));
				}
				throw ex;
			}
		}

		@Override
		public void setNext(Transformation next) {
			this.deflate.setNext(next);
		}

		@Override
		public boolean validateRsvBits(int bits) {
			return this.deflate.validateRsvBits(bits);
		}

		@Override
		public Extension getExtensionResponse() {
			return this.deflate.getExtensionResponse();
		}

		@Override
		public List<MessagePart> sendMessagePart(List<MessagePart> parts) throws IOException {
			return this.deflate.sendMessagePart(parts);
		}

		@Override
		public void close() {
			this.deflate.close();
		}

	}

}
