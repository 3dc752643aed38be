package dev.talktoserver.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A one-connection WebSocket server written by hand, for the cases a well-behaved server never
 * produces: it completes the handshake, waits for the client's first frame, then either stays silent
 * or closes with a given code.
 */
public final class ScriptedWebSocketServer implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final Thread thread;

	private ScriptedWebSocketServer(Integer closeCode, String closeReason) throws IOException {
		this.serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.thread = new Thread(() -> serveOne(closeCode, closeReason), "scripted-websocket-server");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** A server that accepts the handshake and the first message, and never answers. */
	public static ScriptedWebSocketServer silent() throws IOException {
		return new ScriptedWebSocketServer(null, null);
	}

	/** A server that answers the first message with a close frame. */
	public static ScriptedWebSocketServer closingWith(int code, String reason) throws IOException {
		return new ScriptedWebSocketServer(code, reason);
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	private void serveOne(Integer closeCode, String closeReason) {
		try (Socket socket = this.serverSocket.accept()) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			String key = null;
			for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
				if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
					key = line.substring(line.indexOf(':') + 1).trim();
				}
			}
			out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + RawWebSocket.acceptFor(key) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			skipFrame(new DataInputStream(in));
			if (closeCode != null) {
				byte[] reason = closeReason.getBytes(StandardCharsets.UTF_8);
				ByteArrayOutputStream frame = new ByteArrayOutputStream();
				frame.write(0x88);
				frame.write(2 + reason.length);
				frame.write(closeCode >>> 8);
				frame.write(closeCode);
				frame.write(reason);
				out.write(frame.toByteArray());
				out.flush();
			}
			// Hold the connection until the client goes away or the test closes the server.
			while (in.read() != -1) {
				// discard
			}
		}
		catch (IOException ex) {
			// The test is over, or the client went away: either way nothing is left to do.
		}
	}

	private static void skipFrame(DataInputStream in) throws IOException {
		in.readUnsignedByte();
		int second = in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = in.readUnsignedShort();
		}
		else if (length == 127) {
			length = in.readLong();
		}
		in.skipNBytes(length + (((second & 0x80) != 0) ? 4 : 0));
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c == -1) {
				throw new IOException("client went away during the handshake");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		this.thread.interrupt();
	}

}
