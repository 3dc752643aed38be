package dev.talktoserver.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written from RFC 6455 over a plain {@link Socket}: the opening handshake and
 * frames by hand, so protocol tests depend on no WebSocket library. Frames it sends are masked, as a
 * client's must be (section 5.3).
 */
public final class RawWebSocket implements AutoCloseable {

	/** The GUID that section 1.3 appends to the key before hashing it. */
	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final int status;

	private final Map<String, String> responseHeaders;

	private final String key;

	/** Whether the server accepted permessage-deflate (RFC 7692): then RSV1 marks a compressed message. */
	private final boolean deflate;

	private RawWebSocket(Socket socket, String key, int status, Map<String, String> responseHeaders)
			throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
		this.key = key;
		this.status = status;
		this.responseHeaders = responseHeaders;
		String extensions = responseHeaders.get("sec-websocket-extensions");
		this.deflate = extensions != null && extensions.contains(PerMessageDeflate.NAME);
	}

	/** Opens a connection and sends the opening handshake; the answer is in {@link #status()}. */
	public static RawWebSocket connect(int port, String path, Duration timeout) throws IOException {
		return connect(port, path, timeout, 0);
	}

	/**
	 * Like {@link #connect(int, String, Duration)}, with a small receive buffer (if above 0): a client
	 * that stops reading then stalls the server's sends after a few kilobytes rather than megabytes.
	 */
	public static RawWebSocket connect(int port, String path, Duration timeout, int receiveBufferSize)
			throws IOException {
		return connect(port, path, timeout, receiveBufferSize, Map.of());
	}

	/** Like {@link #connect(int, String, Duration)}, with more handshake headers (one line each). */
	public static RawWebSocket connect(int port, String path, Duration timeout, Map<String, String> extraHeaders)
			throws IOException {
		return connect(port, path, timeout, 0, extraHeaders);
	}

	/** With a small receive buffer (if above 0) and more handshake headers. */
	public static RawWebSocket connect(int port, String path, Duration timeout, int receiveBufferSize,
			Map<String, String> extraHeaders) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		if (receiveBufferSize > 0) {
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
		socket.setSoTimeout((int) timeout.toMillis());
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		String request = "GET " + path + " HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n" + "Upgrade: websocket\r\n"
				+ "Connection: Upgrade\r\n" + "Sec-WebSocket-Key: " + key + "\r\n" + "Sec-WebSocket-Version: 13\r\n";
		StringBuilder more = new StringBuilder();
		extraHeaders.forEach((name, value) -> more.append(name).append(": ").append(value).append("\r\n"));
		request = request + more + "\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		InputStream in = socket.getInputStream();
		String statusLine = readLine(in);
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new RawWebSocket(socket, key, status, headers);
	}

	/** The {@code Sec-WebSocket-Accept} value that answers {@code key} (RFC 6455 section 4.2.2). */
	public static String acceptFor(String key) {
		try {
			byte[] sha1 = MessageDigest.getInstance("SHA-1")
				.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(sha1);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int status() {
		return this.status;
	}

	public String header(String name) {
		return this.responseHeaders.get(name.toLowerCase(Locale.ROOT));
	}

	public String key() {
		return this.key;
	}

	public void sendText(String text) throws IOException {
		sendFrame(true, Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends one masked frame with the FIN bit as given. */
	public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		sendFrame(fin, 0, opcode, true, payload);
	}

	/**
	 * Sends one frame exactly as described, including frames a client must not send: unmasked ones,
	 * and ones with reserved bits or opcodes.
	 * @param fin the FIN bit
	 * @param reservedBits the RSV bits in their place in the first byte: {@link Frame#RSV1},
	 * {@link Frame#RSV2}, {@link Frame#RSV3} or a combination
	 * @param opcode the opcode, 0x0 to 0xF
	 * @param masked whether to mask the payload with a random key, as a client must
	 * @param payload the payload, unmasked
	 */
	public void sendFrame(boolean fin, int reservedBits, int opcode, boolean masked, byte[] payload)
			throws IOException {
		this.out.write(encode(fin, reservedBits, opcode, masked, payload));
		this.out.flush();
	}

	/**
	 * Sends frames already encoded, by {@link #maskedFrame} or by hand, in one write: the server gets
	 * them together, in one TCP segment on loopback.
	 */
	public void sendFrames(byte[]... frames) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] frame : frames) {
			all.writeBytes(frame);
		}
		this.out.write(all.toByteArray());
		this.out.flush();
	}

	/** One masked frame, encoded for {@link #sendFrames}. */
	public static byte[] maskedFrame(boolean fin, int opcode, byte[] payload) {
		return encode(fin, 0, opcode, true, payload);
	}

	/** One masked frame with reserved bits ({@link Frame#RSV1}: compressed), encoded for {@link #sendFrames}. */
	public static byte[] maskedFrame(boolean fin, int opcode, int reservedBits, byte[] payload) {
		return encode(fin, reservedBits, opcode, true, payload);
	}

	/** Sends one frame without a mask, which a client must never do (section 5.1). */
	public void sendUnmaskedFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		sendFrame(fin, 0, opcode, false, payload);
	}

	/** Sends a masked close frame with {@code code} and {@code reason} (section 5.5.1). */
	public void sendClose(int code, String reason) throws IOException {
		sendClose(code, reason.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a masked close frame with {@code code} and the reason bytes as given, which need not be
	 * UTF-8.
	 */
	public void sendClose(int code, byte[] reason) throws IOException {
		sendFrame(true, Frame.CLOSE, closePayload(code, reason));
	}

	/** The payload of a close frame: the status code in two bytes, then the reason bytes as given. */
	public static byte[] closePayload(int code, byte[] reason) {
		byte[] payload = new byte[2 + reason.length];
		payload[0] = (byte) (code >>> 8);
		payload[1] = (byte) code;
		System.arraycopy(reason, 0, payload, 2, reason.length);
		return payload;
	}

	private static byte[] encode(boolean fin, int reservedBits, int opcode, boolean masked, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write((fin ? 0x80 : 0) | (reservedBits & 0x70) | (opcode & 0x0F));
		int maskBit = masked ? 0x80 : 0;
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			frame.write(maskBit | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >>> shift));
			}
		}
		if (!masked) {
			frame.writeBytes(payload);
			return frame.toByteArray();
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/** Reads one frame from the server; a server's frames must not be masked. */
	public Frame readFrame() throws IOException {
		int first = this.in.readUnsignedByte();
		int second = this.in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		boolean masked = (second & 0x80) != 0;
		byte[] mask = new byte[4];
		if (masked) {
			// A server must not mask, but if one does, the key comes before the payload.
			this.in.readFully(mask);
		}
		byte[] payload = new byte[Math.toIntExact(length)];
		this.in.readFully(payload);
		if (masked) {
			for (int i = 0; i < payload.length; i++) {
				payload[i] ^= mask[i % 4];
			}
		}
		return new Frame((first & 0x80) != 0, first & 0x70, first & 0x0F, masked, payload);
	}

	/**
	 * Reads one frame and checks it against the rules every server frame must follow: not masked
	 * (section 5.1), no RSV bits unless an extension was negotiated (5.2), and with permessage-deflate
	 * none but RSV1, on the first frame of a message only (RFC 7692 section 6), a defined opcode (5.2),
	 * and for a control frame FIN set and at most 125 bytes of payload (5.5).
	 * @throws AssertionError when the frame breaks one of them
	 */
	public Frame readServerFrame() throws IOException {
		Frame frame = readFrame();
		check(!frame.masked(), "a server must not mask the frames it sends (RFC 6455 section 5.1)", frame);
		if (this.deflate) {
			boolean firstOfMessage = frame.opcode() == Frame.TEXT || frame.opcode() == Frame.BINARY;
			check((frame.reservedBits() & ~(firstOfMessage ? Frame.RSV1 : 0)) == 0,
					"RSV bits other than RSV1 on the first frame of a message (RFC 7692 section 6)", frame);
		}
		else {
			check(frame.reservedBits() == 0, "RSV bits set although no extension was negotiated (section 5.2)",
					frame);
		}
		check(frame.opcode() <= Frame.BINARY || (frame.opcode() >= Frame.CLOSE && frame.opcode() <= Frame.PONG),
				"reserved opcode (section 5.2)", frame);
		if (frame.isControl()) {
			check(frame.fin(), "control frames must not be fragmented (section 5.5)", frame);
			check(frame.payload().length <= 125, "control frames carry at most 125 bytes (section 5.5)", frame);
		}
		return frame;
	}

	/** The next frame that is not a ping, checked as {@link #readServerFrame()} does. */
	public Frame readFrameSkippingPings() throws IOException {
		Frame frame = readServerFrame();
		while (frame.opcode() == Frame.PING) {
			frame = readServerFrame();
		}
		return frame;
	}

	/**
	 * Reads one whole message: a text or binary frame and, unless its FIN bit is set, the continuation
	 * frames up to the one that has it, skipping pings in between. A server must not start a new message
	 * before the last one ends (section 5.4).
	 * @throws AssertionError when a close frame, a pong or a frame out of sequence comes instead
	 */
	public Message readMessage() throws IOException {
		Frame first = readFrameSkippingPings();
		check(first.opcode() == Frame.TEXT || first.opcode() == Frame.BINARY,
				"expected the first frame of a text or binary message", first);
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		payload.writeBytes(first.payload());
		int frames = 1;
		Frame frame = first;
		while (!frame.fin()) {
			frame = readFrameSkippingPings();
			check(frame.opcode() == Frame.CONTINUATION,
					"expected a continuation frame of the fragmented message (section 5.4)", frame);
			payload.writeBytes(frame.payload());
			frames++;
		}
		return new Message(first.opcode(), payload.toByteArray(), frames, (first.reservedBits() & Frame.RSV1) != 0);
	}

	/**
	 * The next frame that is not a ping, which must be a close frame.
	 * @throws AssertionError when another frame comes first
	 */
	public Frame expectCloseFrame() throws IOException {
		Frame frame = readFrameSkippingPings();
		check(frame.opcode() == Frame.CLOSE, "expected a close frame", frame);
		return frame;
	}

	/**
	 * The status code of the next frame that is not a ping, which must be a close frame; 1005, the code
	 * section 7.1.5 gives a close frame without one, when its payload is empty.
	 * @throws AssertionError when another frame comes first
	 */
	public int expectClose() throws IOException {
		Frame close = expectCloseFrame();
		return close.payload().length == 0 ? 1005 : close.closeCode();
	}

	/**
	 * Reads until the server closes the TCP connection.
	 * @return whatever arrived before the end: empty when nothing did
	 * @throws java.net.SocketTimeoutException when the connection is still open after the read
	 * timeout
	 */
	public byte[] readUntilEof() throws IOException {
		ByteArrayOutputStream rest = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		for (int n = this.in.read(buffer); n != -1; n = this.in.read(buffer)) {
			rest.write(buffer, 0, n);
		}
		return rest.toByteArray();
	}

	private static void check(boolean condition, String rule, Frame frame) {
		if (!condition) {
			throw new AssertionError(rule + "; got " + frame);
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c == -1) {
				throw new IOException("connection closed in the middle of the handshake response: " + line);
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	/** One frame as read off the wire. */
	public record Frame(boolean fin, int reservedBits, int opcode, boolean masked, byte[] payload) {

		/** RSV1, in its place in the first byte of a frame. */
		public static final int RSV1 = 0x40;

		/** RSV2, in its place in the first byte of a frame. */
		public static final int RSV2 = 0x20;

		/** RSV3, in its place in the first byte of a frame. */
		public static final int RSV3 = 0x10;

		public static final int CONTINUATION = 0x0;

		public static final int TEXT = 0x1;

		public static final int BINARY = 0x2;

		public static final int CLOSE = 0x8;

		public static final int PING = 0x9;

		public static final int PONG = 0xA;

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/** The status code of a close frame. */
		public int closeCode() {
			return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		/** The reason of a close frame as text. */
		public String closeReasonText() {
			return new String(closeReason(), StandardCharsets.UTF_8);
		}

		/** The bytes of a close frame after its status code: the reason, meant to be UTF-8. */
		public byte[] closeReason() {
			return Arrays.copyOfRange(this.payload, Math.min(2, this.payload.length), this.payload.length);
		}

		/** Whether this is a control frame: close, ping, pong or a reserved control opcode (section 5.5). */
		public boolean isControl() {
			return (this.opcode & 0x08) != 0;
		}

		/** The frame as a failure message shows it: its header and the start of its payload. */
		@Override
		public String toString() {
			StringBuilder text = new StringBuilder(opcodeName(this.opcode));
			text.append(" frame, fin=").append(this.fin);
			if (this.reservedBits != 0) {
				text.append(", rsv=0x").append(Integer.toHexString(this.reservedBits));
			}
			if (this.masked) {
				text.append(", masked");
			}
			text.append(", ").append(this.payload.length).append(" byte(s)");
			if (this.opcode == CLOSE && this.payload.length >= 2) {
				text.append(", code ").append(closeCode());
			}
			int shown = Math.min(this.payload.length, 32);
			if (shown > 0) {
				text.append(": ");
				for (int i = 0; i < shown; i++) {
					text.append(String.format("%02x", this.payload[i] & 0xFF));
				}
				text.append((shown < this.payload.length) ? "..." : "");
			}
			return text.toString();
		}

		static String opcodeName(int opcode) {
			return switch (opcode) {
				case CONTINUATION -> "continuation";
				case TEXT -> "text";
				case BINARY -> "binary";
				case CLOSE -> "close";
				case PING -> "ping";
				case PONG -> "pong";
				default -> "opcode 0x" + Integer.toHexString(opcode);
			};
		}

	}

	/**
	 * One whole message, put together from its frames.
	 * @param opcode {@link Frame#TEXT} or {@link Frame#BINARY}
	 * @param payload the payloads of all its frames, in order, as sent: compressed if {@code compressed}
	 * @param frames how many frames it came in
	 * @param compressed whether its first frame set RSV1: compressed with permessage-deflate
	 */
	public record Message(int opcode, byte[] payload, int frames, boolean compressed) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return Frame.opcodeName(this.opcode) + " message, " + this.payload.length + " byte(s) in " + this.frames
					+ " frame(s)" + (this.compressed ? ", compressed" : "");
		}

	}

}
