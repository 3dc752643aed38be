package dev.talktoserver.support;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) as a client does it, with {@code java.util.zip} and nothing of the
 * server's: compresses what a test sends and inflates what the server sends back, keeping or dropping
 * the compression context between messages as the handshake's response says.
 */
public final class PerMessageDeflate {

	public static final String NAME = "permessage-deflate";

	/** The offer browsers make: context takeover both ways, and any window size for the client's side. */
	public static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";

	/** An offer without context takeover either way, as gorilla's client (and wsload) makes it. */
	public static final String NO_CONTEXT_TAKEOVER_OFFER = "permessage-deflate; server_no_context_takeover; "
			+ "client_no_context_takeover";

	/** The end of a sync flush, which section 7.2.1 leaves off every message and 7.2.2 puts back. */
	private static final byte[] TAIL = { 0, 0, (byte) 0xFF, (byte) 0xFF };

	private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

	private final Inflater inflater = new Inflater(true);

	private final boolean clientContextTakeover;

	private final boolean serverContextTakeover;

	private PerMessageDeflate(boolean clientContextTakeover, boolean serverContextTakeover) {
		this.clientContextTakeover = clientContextTakeover;
		this.serverContextTakeover = serverContextTakeover;
	}

	/** The compression the server agreed to in its {@code Sec-WebSocket-Extensions} response header. */
	public static PerMessageDeflate negotiated(String responseHeader) {
		if (responseHeader == null || !responseHeader.contains(NAME)) {
			throw new AssertionError("permessage-deflate not accepted; Sec-WebSocket-Extensions: " + responseHeader);
		}
		return new PerMessageDeflate(!responseHeader.contains("client_no_context_takeover"),
				!responseHeader.contains("server_no_context_takeover"));
	}

	/** Section 7.2.1: the message deflated and flushed, without the four bytes the flush ends with. */
	public byte[] compress(byte[] message) {
		if (!this.clientContextTakeover) {
			this.deflater.reset();
		}
		this.deflater.setInput(message);
		ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
		byte[] buffer = new byte[64 * 1024];
		int written;
		do {
			written = this.deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
			out.write(buffer, 0, written);
		}
		while (written == buffer.length || !this.deflater.needsInput());
		byte[] flushed = out.toByteArray();
		if (!Arrays.equals(flushed, flushed.length - TAIL.length, flushed.length, TAIL, 0, TAIL.length)) {
			throw new IllegalStateException("a sync flush that does not end in 00 00 ff ff");
		}
		return Arrays.copyOf(flushed, flushed.length - TAIL.length);
	}

	/** Section 7.2.2: the payload of a compressed message, with the four bytes put back, inflated. */
	public byte[] decompress(byte[] payload) throws DataFormatException {
		if (!this.serverContextTakeover) {
			this.inflater.reset();
		}
		byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
		System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
		this.inflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4 + 64);
		byte[] buffer = new byte[64 * 1024];
		int written;
		do {
			written = this.inflater.inflate(buffer);
			out.write(buffer, 0, written);
		}
		while (written > 0 || (!this.inflater.needsInput() && !this.inflater.finished()));
		return out.toByteArray();
	}

}
