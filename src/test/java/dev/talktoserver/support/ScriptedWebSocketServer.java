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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket server written by hand, for the cases a well-behaved server never produces. It serves one
 * connection per {@link Script}, in order, each on a thread of its own: refuses the handshake with an
 * HTTP status, or completes it and answers a number of text messages with {@code Hello from server!},
 * then, at the next message, stays silent, closes with a given code, or drops the TCP connection
 * without a close frame. Once the scripts are used up it stops listening, so that a further connection
 * is refused. It remembers every text message it received, in order.
 */
public final class ScriptedWebSocketServer implements AutoCloseable {

	public static final String REPLY = "Hello from server!";

	private final ServerSocket serverSocket;

	private final List<Script> scripts;

	private final List<String> received = new CopyOnWriteArrayList<>();

	/** The Authorization header of each handshake, in order ("" for none). */
	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	/** Runs after each handshake request is read, before it is answered. */
	private volatile Runnable onHandshake = () -> {
	};

	private final Thread thread;

	/** What happens to one connection. */
	public record Script(int refuseWith, int replies, Ending ending, int closeCode, String closeReason) {

		/** The handshake is answered with this HTTP status instead of 101. */
		public static Script refuse(int status) {
			return new Script(status, 0, Ending.SILENCE, 0, null);
		}

		/** Every message gets its reply, for as long as the client stays. */
		public static Script answerAll() {
			return new Script(0, Integer.MAX_VALUE, Ending.SILENCE, 0, null);
		}

		/** The first {@code replies} messages get their reply; the next one gets what follows. */
		public static Script answer(int replies) {
			return new Script(0, replies, Ending.SILENCE, 0, null);
		}

		public Script thenClose(int code, String reason) {
			return new Script(0, this.replies, Ending.CLOSE, code, reason);
		}

		/** After the last of its replies, closes at once, without waiting for another message. */
		public Script thenCloseAtOnce(int code, String reason) {
			return new Script(0, this.replies, Ending.CLOSE_AT_ONCE, code, reason);
		}

		public Script thenDrop() {
			return new Script(0, this.replies, Ending.DROP, 0, null);
		}

	}

	private enum Ending {

		SILENCE, CLOSE, CLOSE_AT_ONCE, DROP

	}

	private ScriptedWebSocketServer(List<Script> scripts) throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.scripts = List.copyOf(scripts);
		this.thread = new Thread(this::acceptAll, "scripted-websocket-server");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** A server that plays {@code scripts}, one connection each, in order. */
	public static ScriptedWebSocketServer playing(Script... scripts) throws IOException {
		return new ScriptedWebSocketServer(List.of(scripts));
	}

	/** A server that accepts the handshake and the first message, and never answers. */
	public static ScriptedWebSocketServer silent() throws IOException {
		return playing(Script.answer(0));
	}

	/** A server that answers the first message with a close frame. */
	public static ScriptedWebSocketServer closingWith(int code, String reason) throws IOException {
		return playing(Script.answer(0).thenClose(code, reason));
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	public String url() {
		return "ws://127.0.0.1:" + port() + "/talk-to-server";
	}

	/** The Authorization header of each handshake, in order ("" where there was none). */
	public List<String> authorizations() {
		return List.copyOf(this.authorizations);
	}

	/** Runs {@code action} after each handshake request is read, before it is answered. */
	public ScriptedWebSocketServer onHandshake(Runnable action) {
		this.onHandshake = action;
		return this;
	}

	/** Every text message received, on every connection, in order. */
	public List<String> received() {
		return List.copyOf(this.received);
	}

	private void acceptAll() {
		try (this.serverSocket) {
			for (Script script : this.scripts) {
				Socket socket = this.serverSocket.accept();
				Thread connection = new Thread(() -> serve(socket, script), "scripted-websocket-connection");
				connection.setDaemon(true);
				connection.start();
			}
		}
		catch (IOException ex) {
			// The test closed the server.
		}
	}

	private void serve(Socket socket, Script script) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			String key = null;
			String authorization = "";
			for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
				String lower = line.toLowerCase(Locale.ROOT);
				if (lower.startsWith("sec-websocket-key:")) {
					key = line.substring(line.indexOf(':') + 1).trim();
				}
				else if (lower.startsWith("authorization:")) {
					authorization = line.substring(line.indexOf(':') + 1).trim();
				}
			}
			this.authorizations.add(authorization);
			this.onHandshake.run();
			if (script.refuseWith() != 0) {
				out.write(("HTTP/1.1 " + script.refuseWith() + " Refused\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
						+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				return;
			}
			out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + RawWebSocket.acceptFor(key) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			DataInputStream frames = new DataInputStream(in);
			int answered = 0;
			for (Frame frame = Frame.read(frames); frame.opcode() != 0x8; frame = Frame.read(frames)) {
				if (frame.opcode() != 0x1) {
					continue;
				}
				this.received.add(frame.text());
				if (answered < script.replies()) {
					answered++;
					out.write(textFrame(REPLY));
					if (answered == script.replies() && script.ending() == Ending.CLOSE_AT_ONCE) {
						out.write(closeFrame(script.closeCode(), script.closeReason()));
					}
					out.flush();
				}
				else if (script.ending() == Ending.CLOSE) {
					out.write(closeFrame(script.closeCode(), script.closeReason()));
					out.flush();
				}
				else if (script.ending() == Ending.DROP) {
					socket.setSoLinger(true, 0);
					return;
				}
			}
			// The client's close frame, or the answer to ours: the server closes the TCP connection.
		}
		catch (IOException ex) {
			// The test is over, or the client went away: either way nothing is left to do.
		}
	}

	private record Frame(int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/** One frame from the client (masked, as clients' frames are). */
		static Frame read(DataInputStream in) throws IOException {
			int first = in.readUnsignedByte();
			int second = in.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = in.readUnsignedShort();
			}
			else if (length == 127) {
				length = in.readLong();
			}
			byte[] mask = new byte[4];
			if ((second & 0x80) != 0) {
				in.readFully(mask);
			}
			byte[] payload = new byte[(int) length];
			in.readFully(payload);
			for (int i = 0; i < payload.length; i++) {
				payload[i] ^= mask[i % 4];
			}
			return new Frame(first & 0x0F, payload);
		}

	}

	private static byte[] textFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		frame.write(payload.length);
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

	private static byte[] closeFrame(int code, String reason) {
		byte[] payload = reason.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x88);
		frame.write(2 + payload.length);
		frame.write(code >>> 8);
		frame.write(code);
		frame.writeBytes(payload);
		return frame.toByteArray();
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
