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

	private RawWebSocket(Socket socket, String key, int status, Map<String, String> responseHeaders)
			throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
		this.key = key;
		this.status = status;
		this.responseHeaders = responseHeaders;
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
		Socket socket = new Socket();
		if (receiveBufferSize > 0) {
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
		socket.setSoTimeout((int) timeout.toMillis());
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		String request = "GET " + path + " HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n" + "Upgrade: websocket\r\n"
				+ "Connection: Upgrade\r\n" + "Sec-WebSocket-Key: " + key + "\r\n" + "Sec-WebSocket-Version: 13\r\n\r\n";
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
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >>> shift));
			}
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
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
		byte[] payload = new byte[Math.toIntExact(length)];
		this.in.readFully(payload);
		return new Frame((first & 0x80) != 0, first & 0x70, first & 0x0F, masked, payload);
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

		/** The reason of a close frame, after its status code. */
		public String closeReason() {
			return new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
		}

	}

}
