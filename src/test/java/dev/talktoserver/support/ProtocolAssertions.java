package dev.talktoserver.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import dev.talktoserver.support.RawWebSocket.Frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What protocol tests check again and again about a {@link RawWebSocket}: how the server fails a
 * connection (RFC 6455 section 7.1.7: a close frame with the expected code, nothing after it, then the
 * end of the TCP connection), and that a large payload came back byte for byte.
 */
public final class ProtocolAssertions {

	private ProtocolAssertions() {
	}

	public static void assertFailsWith(RawWebSocket socket, int code) throws IOException {
		assertFailsWith(socket, code, new byte[0]);
	}

	/**
	 * Asserts that the server fails the connection with {@code code}. Before its close frame it may
	 * send the start of the echo of a message whose first bytes it had accepted, as frames without FIN
	 * whose payload starts {@code acceptedStart}; nothing else.
	 */
	public static void assertFailsWith(RawWebSocket socket, int code, byte[] acceptedStart) throws IOException {
		ByteArrayOutputStream echoed = new ByteArrayOutputStream();
		Frame frame = socket.readFrameSkippingPings();
		boolean first = true;
		while (frame.opcode() != Frame.CLOSE) {
			boolean startOfEcho = first ? (frame.opcode() == Frame.TEXT || frame.opcode() == Frame.BINARY)
					: frame.opcode() == Frame.CONTINUATION;
			if (!startOfEcho || frame.fin()) {
				fail("expected a close frame with code %d, got %s", code, frame);
			}
			echoed.writeBytes(frame.payload());
			first = false;
			frame = socket.readFrameSkippingPings();
		}
		byte[] echoedStart = echoed.toByteArray();
		assertThat(Arrays.copyOf(acceptedStart, Math.min(acceptedStart.length, echoedStart.length)))
			.as("what was echoed before the close frame: %s", HexFormat.of().formatHex(echoedStart))
			.isEqualTo(echoedStart);
		assertThat(frame.payload().length).as("close frame without a code: %s", frame).isGreaterThanOrEqualTo(2);
		assertThat(frame.closeCode()).as("close code in %s", frame).isEqualTo(code);
		assertReasonIsUtf8(frame);
		assertConnectionEndsWithNothingMore(socket);
	}

	/** Section 5.5.1: the reason in a close frame is UTF-8. */
	public static void assertReasonIsUtf8(Frame close) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(close.closeReason()));
		}
		catch (CharacterCodingException ex) {
			fail("the reason in %s is not UTF-8", close);
		}
	}

	/**
	 * Section 5.5.1: after its close frame the server sends nothing more; section 7.1.1: then it closes
	 * the TCP connection, within the read timeout here.
	 */
	public static void assertConnectionEndsWithNothingMore(RawWebSocket socket) throws IOException {
		byte[] rest = socket.readUntilEof();
		assertThat(rest).as("bytes after the server's close frame: %s", HexFormat.of().formatHex(rest)).isEmpty();
	}

	/**
	 * Every byte the same, without printing a megabyte when one differs.
	 */
	public static void assertSameBytes(byte[] actual, byte[] expected) {
		int mismatch = Arrays.mismatch(actual, expected);
		assertThat(mismatch)
			.as("first difference at byte %d of %d (expected %d bytes)", mismatch, actual.length, expected.length)
			.isEqualTo(-1);
	}

}
