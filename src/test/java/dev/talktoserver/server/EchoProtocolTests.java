package dev.talktoserver.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.talktoserver.support.PerMessageDeflate;
import dev.talktoserver.support.RawWebSocket;
import dev.talktoserver.support.RawWebSocket.Frame;
import dev.talktoserver.support.RawWebSocket.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.talktoserver.support.ProtocolAssertions.assertConnectionEndsWithNothingMore;
import static dev.talktoserver.support.ProtocolAssertions.assertFailsWith;
import static dev.talktoserver.support.ProtocolAssertions.assertReasonIsUtf8;
import static dev.talktoserver.support.ProtocolAssertions.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /echo} at the level of RFC 6455, sections 5 to 7: frames written by hand, including the ones
 * a client must not send, and every frame the server sends checked against the rules for server
 * frames (unmasked, no RSV bits, defined opcodes, short unfragmented control frames). What is expected
 * comes from the RFC, not from what the container happens to do.
 * <p>
 * "Fails the connection" is section 7.1.7: the server sends a close frame with the status code the
 * test names, sends nothing after it (section 5.5.1), and closes the TCP connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoProtocolTests {

	/** Every connect and every read gives up after this: each test is over in well under a second. */
	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final String PATH = "/echo";

	private static final int NORMAL = 1000;

	private static final int PROTOCOL_ERROR = 1002;

	private static final int INVALID_PAYLOAD = 1007;

	@LocalServerPort
	private int port;

	/** Sends large messages while the test reads their echo, which starts before the send ends. */
	private final ExecutorService sender = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopSender() {
		this.sender.shutdownNow();
	}

	// Echo (sections 5.2, 5.4, 5.6)

	@Test
	void maskedTextFrameComesBackAsOneUnmaskedTextFrameWithTheSamePayload() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendText("Hello, echo! ✓");
			Frame echo = socket.readServerFrame();
			assertThat(echo.opcode()).isEqualTo(Frame.TEXT);
			assertThat(echo.fin()).isTrue();
			assertThat(echo.masked()).isFalse();
			assertThat(echo.text()).isEqualTo("Hello, echo! ✓");
		}
	}

	@Test
	void binaryFrameComesBackAsBinaryByteForByte() throws Exception {
		byte[] everyByte = new byte[256];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = (byte) i;
		}
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.BINARY, everyByte);
			Frame echo = socket.readServerFrame();
			assertThat(echo.opcode()).isEqualTo(Frame.BINARY);
			assertThat(echo.fin()).isTrue();
			assertThat(echo.payload()).isEqualTo(everyByte);
		}
	}

	@ParameterizedTest(name = "opcode {0}")
	@ValueSource(ints = { Frame.TEXT, Frame.BINARY })
	void emptyMessageComesBackEmptyWithItsType(int opcode) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, opcode, new byte[0]);
			Message echo = socket.readMessage();
			assertThat(echo.opcode()).isEqualTo(opcode);
			assertThat(echo.payload()).isEmpty();
		}
	}

	@Test
	void oneMebibyteBinaryMessageComesBackExactly() throws Exception {
		byte[] payload = new byte[1024 * 1024];
		new Random(6455).nextBytes(payload);
		try (RawWebSocket socket = connect()) {
			Message echo = sendAndReadEcho(socket, Frame.BINARY, payload);
			assertThat(echo.opcode()).isEqualTo(Frame.BINARY);
			assertSameBytes(echo.payload(), payload);
		}
	}

	@Test
	void twoHundredKilobyteTextMessageOfMultiByteCharactersComesBackExactly() throws Exception {
		// Characters of one to four bytes, so that the 1 KiB buffers the server reads through end inside one.
		String unit = "echo é ß € 日本語 𝄞 😀 ";
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		for (int line = 0; text.size() < 200_000; line++) {
			text.writeBytes(utf8(unit + line + "\n"));
		}
		byte[] payload = text.toByteArray();
		try (RawWebSocket socket = connect()) {
			Message echo = sendAndReadEcho(socket, Frame.TEXT, payload);
			assertThat(echo.opcode()).isEqualTo(Frame.TEXT);
			assertSameBytes(echo.payload(), payload);
		}
	}

	@ParameterizedTest(name = "opcode {0}")
	@ValueSource(ints = { Frame.TEXT, Frame.BINARY })
	void messageFragmentedByTheClientComesBackAsTheSameMessage(int opcode) throws Exception {
		try (RawWebSocket socket = connect()) {
			// Section 5.4: a message may have fragments of any size, empty ones included.
			socket.sendFrame(false, opcode, utf8("Hel"));
			socket.sendFrame(false, Frame.CONTINUATION, new byte[0]);
			socket.sendFrame(false, Frame.CONTINUATION, utf8("lo, "));
			socket.sendFrame(true, Frame.CONTINUATION, utf8("fragments"));
			Message echo = socket.readMessage();
			assertThat(echo.opcode()).isEqualTo(opcode);
			assertThat(echo.text()).isEqualTo("Hello, fragments");
		}
	}

	@Test
	void messagesComeBackInOrderEachWithItsType() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendText("one");
			socket.sendFrame(true, Frame.BINARY, new byte[] { 2 });
			socket.sendText("three");
			assertThat(socket.readMessage()).satisfies(textMessage("one"));
			Message binary = socket.readMessage();
			assertThat(binary.opcode()).isEqualTo(Frame.BINARY);
			assertThat(binary.payload()).containsExactly(2);
			assertThat(socket.readMessage()).satisfies(textMessage("three"));
		}
	}

	@Test
	void compressionOfferIsDeclinedByDefaultAndMessagesGoUncompressed() throws Exception {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, PATH, TIMEOUT,
				Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.BROWSER_OFFER))) {
			assertThat(socket.status()).as("handshake status").isEqualTo(101);
			assertThat(socket.header("Sec-WebSocket-Extensions")).as("extensions accepted").isNull();
			socket.sendText("uncompressed");
			// readMessage would fail on a frame with RSV1: none was negotiated.
			assertThat(socket.readMessage()).satisfies(textMessage("uncompressed"));
		}
	}

	// Framing (section 5.2)

	@Test
	void payloadLengthWithMostSignificantBitSetFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			// A binary frame whose 64-bit length has its top bit set, which the RFC forbids, then a mask.
			socket.sendFrames(hex("82ff" + "8000000000000001" + "1a2b3c4d"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	// Masking (section 5.1)

	@ParameterizedTest(name = "opcode {0}")
	@ValueSource(ints = { Frame.TEXT, Frame.BINARY, Frame.PING })
	void unmaskedClientFrameFailsTheConnectionWith1002(int opcode) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendUnmaskedFrame(true, opcode, utf8("not masked"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	// RSV bits (section 5.2): no extension is negotiated, so none may be set

	@ParameterizedTest(name = "RSV bits 0x{0}")
	@ValueSource(ints = { Frame.RSV1, Frame.RSV2, Frame.RSV3, Frame.RSV1 | Frame.RSV2 | Frame.RSV3 })
	void frameWithReservedBitsSetFailsTheConnectionWith1002(int reservedBits) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, reservedBits, Frame.TEXT, true, utf8("reserved bits"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@Test
	void pingWithReservedBitSetFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.RSV1, Frame.PING, true, utf8("reserved bit"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	// Reserved opcodes (section 5.2)

	@ParameterizedTest(name = "opcode 0x{0}")
	@ValueSource(ints = { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF })
	void reservedOpcodeFailsTheConnectionWith1002(int opcode) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, opcode, utf8("reserved"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	// Control frames (section 5.5)

	@Test
	void pingWithPayloadOver125BytesFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.PING, new byte[126]);
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@Test
	void fragmentedPingFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(false, Frame.PING, utf8("first half"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@Test
	void pingIsAnsweredWithPongCarryingTheSamePayload() throws Exception {
		byte[] payload = new byte[125];
		Arrays.fill(payload, (byte) 'p');
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.PING, payload);
			Frame pong = socket.readServerFrame();
			assertThat(pong.opcode()).isEqualTo(Frame.PONG);
			assertThat(pong.payload()).isEqualTo(payload);
		}
	}

	@Test
	void emptyPingIsAnsweredWithEmptyPong() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.PING, new byte[0]);
			Frame pong = socket.readServerFrame();
			assertThat(pong.opcode()).isEqualTo(Frame.PONG);
			assertThat(pong.payload()).isEmpty();
		}
	}

	@Test
	void unsolicitedPongIsIgnored() throws Exception {
		try (RawWebSocket socket = connect()) {
			// Section 5.5.3: an unsolicited pong is a heartbeat that expects no answer.
			socket.sendFrame(true, Frame.PONG, utf8("unsolicited"));
			socket.sendText("still here");
			Frame next = socket.readServerFrame();
			assertThat(next.opcode()).as("the frame after an unsolicited pong: %s", next).isEqualTo(Frame.TEXT);
			assertThat(next.text()).isEqualTo("still here");
		}
	}

	@Test
	void closeWithPayloadOver125BytesFailsTheConnectionWith1002() throws Exception {
		byte[] reason = new byte[124];
		Arrays.fill(reason, (byte) 'r');
		try (RawWebSocket socket = connect()) {
			socket.sendClose(NORMAL, reason);
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	// Fragmentation (section 5.4)

	@Test
	void continuationFrameWithNoMessageStartedFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.CONTINUATION, utf8("continuing nothing"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@ParameterizedTest(name = "opcode {0}")
	@ValueSource(ints = { Frame.TEXT, Frame.BINARY })
	void newDataFrameWhileFragmentedMessageIsInProgressFailsTheConnectionWith1002(int opcode) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(false, Frame.TEXT, utf8("first part, "));
			socket.sendFrame(true, opcode, utf8("not a continuation"));
			// The server may already have echoed the first part, as the start of its own message.
			assertFailsWith(socket, PROTOCOL_ERROR, utf8("first part, "));
		}
	}

	@Test
	void pingBetweenFragmentsIsAnsweredAndTheWholeMessageStillComesBack() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(false, Frame.TEXT, utf8("before "));
			socket.sendFrame(true, Frame.PING, utf8("in between"));
			socket.sendFrame(true, Frame.CONTINUATION, utf8("and after"));
			// The pong answers a ping the server read before the end of the message, so it comes before
			// the echo's last frame; parts of the echo may come before it (section 5.4).
			ByteArrayOutputStream echoed = new ByteArrayOutputStream();
			Frame pong = null;
			Frame frame;
			do {
				frame = socket.readServerFrame();
				if (frame.opcode() == Frame.PONG) {
					assertThat(pong).as("a second pong: %s", frame).isNull();
					pong = frame;
				}
				else {
					int expected = (echoed.size() == 0) ? Frame.TEXT : Frame.CONTINUATION;
					assertThat(frame.opcode()).as("frame of the echo: %s", frame).isEqualTo(expected);
					echoed.writeBytes(frame.payload());
				}
			}
			while (frame.opcode() == Frame.PONG || !frame.fin());
			assertThat(pong).as("pong before the last frame of the echo").isNotNull();
			assertThat(pong.text()).isEqualTo("in between");
			assertThat(echoed.toString(StandardCharsets.UTF_8)).isEqualTo("before and after");
		}
	}

	// UTF-8 (sections 5.6 and 8.1)

	static Stream<Arguments> invalidUtf8() {
		return Stream.of(Arguments.of("a lone continuation byte", "ok ", "80", " rest"),
				Arguments.of("an overlong encoding of '/'", "ok ", "c0af", " rest"),
				Arguments.of("a UTF-16 surrogate half (U+D800)", "κόσμε ", "eda080", "edited"),
				Arguments.of("a code point above U+10FFFF", "ok ", "f4908080", " rest"),
				Arguments.of("a byte that never occurs (0xFF)", "ok ", "ff", " rest"),
				Arguments.of("a sequence cut short by the next character", "ok ", "e282", "( rest"),
				Arguments.of("a sequence cut short by the end of the message", "ok ", "e282", ""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidUtf8")
	void invalidUtf8InTextMessageFailsTheConnectionWith1007(String description, String validStart,
			String invalidHex, String rest) throws Exception {
		byte[] payload = concat(utf8(validStart), HexFormat.of().parseHex(invalidHex), utf8(rest));
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.TEXT, payload);
			assertFailsWith(socket, INVALID_PAYLOAD, utf8(validStart));
		}
	}

	@Test
	void invalidUtf8SplitAcrossFragmentsFailsTheConnectionWith1007() throws Exception {
		try (RawWebSocket socket = connect()) {
			// The first fragment ends in the first two bytes of a four-byte sequence; the second
			// fragment goes on with '(' where the third byte should be.
			socket.sendFrame(false, Frame.TEXT, concat(utf8("valid so far "), hex("f09f")));
			socket.sendFrame(true, Frame.CONTINUATION, utf8("(not a continuation byte"));
			assertFailsWith(socket, INVALID_PAYLOAD, utf8("valid so far "));
		}
	}

	@Test
	void validMultiByteSequencesSplitAcrossFragmentsComeBackWhole() throws Exception {
		try (RawWebSocket socket = connect()) {
			// "ab€cd😀!" with the euro sign (e2 82 ac) split over three fragments and the emoji
			// (f0 9f 98 80) over two.
			socket.sendFrame(false, Frame.TEXT, concat(utf8("ab"), hex("e2")));
			socket.sendFrame(false, Frame.CONTINUATION, hex("82"));
			socket.sendFrame(false, Frame.CONTINUATION, concat(hex("ac"), utf8("cd"), hex("f09f98")));
			socket.sendFrame(true, Frame.CONTINUATION, concat(hex("80"), utf8("!")));
			Message echo = socket.readMessage();
			assertThat(echo.opcode()).isEqualTo(Frame.TEXT);
			assertThat(echo.text()).isEqualTo("ab€cd😀!");
		}
	}

	// Closing (sections 5.5.1, 7.1, 7.4)

	@Test
	void closeWithCodeAndReasonIsAnsweredWithCloseFrameAndThenTheConnectionEnds() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendClose(NORMAL, "done, thank you");
			Frame close = socket.expectCloseFrame();
			assertThat(close.closeCode()).isEqualTo(NORMAL);
			assertReasonIsUtf8(close);
			assertConnectionEndsWithNothingMore(socket);
		}
	}

	@Test
	void closeWithEmptyPayloadIsAnsweredWithEmptyCloseOr1000() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrame(true, Frame.CLOSE, new byte[0]);
			Frame close = socket.expectCloseFrame();
			// Section 7.4.1: 1005 stands for "no code" and must not be sent; nothing, or 1000, may be.
			if (close.payload().length > 0) {
				assertThat(close.closeCode()).as("the answer to a close without a code: %s", close)
					.isEqualTo(NORMAL);
			}
			assertConnectionEndsWithNothingMore(socket);
		}
	}

	@Test
	void closeWithOneBytePayloadFailsTheConnectionWith1002() throws Exception {
		try (RawWebSocket socket = connect()) {
			// Section 5.5.1: a close payload, if any, starts with a two-byte code.
			socket.sendFrame(true, Frame.CLOSE, new byte[] { 0x03 });
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@ParameterizedTest(name = "code {0}")
	@ValueSource(ints = { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 })
	void closeWithCodeThatMustNotBeSentFailsTheConnectionWith1002(int code) throws Exception {
		// Section 7.4: below 1000 unused, 1004 reserved, 1005, 1006 and 1015 never on the wire, 1016 to
		// 2999 for future revisions of the protocol, 5000 and above undefined.
		try (RawWebSocket socket = connect()) {
			socket.sendClose(code, "bad code");
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	@ParameterizedTest(name = "code {0}")
	@ValueSource(ints = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999 })
	void closeWithValidCodeIsAnsweredWithTheSameCode(int code) throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendClose(code, "code " + code);
			Frame close = socket.expectCloseFrame();
			assertThat(close.closeCode()).as("the answer to close %d: %s", code, close).isEqualTo(code);
			assertReasonIsUtf8(close);
			assertConnectionEndsWithNothingMore(socket);
		}
	}

	@Test
	void closeReasonThatIsInvalidUtf8FailsTheConnection() throws Exception {
		try (RawWebSocket socket = connect()) {
			// "κόσμε" followed by a UTF-16 surrogate half (eda080) and "edited".
			socket.sendClose(NORMAL, hex("cebae1bdb9cf83cebcceb5eda080656469746564"));
			Frame close = socket.expectCloseFrame();
			// Section 8.1: the server must fail the connection, with "an appropriate status code" (7.1.7).
			// The RFC names none for a bad close reason: 1007 is defined for data "within a message"
			// (7.4.1) and 1002 for protocol errors, and both fit. Echoing 1000 would not: it would
			// accept the frame.
			assertThat(close.payload().length).as("the answer to a close with a bad reason: %s", close)
				.isGreaterThanOrEqualTo(2);
			assertThat(close.closeCode()).as("the answer to a close with a bad reason: %s", close)
				.isIn(INVALID_PAYLOAD, PROTOCOL_ERROR);
			assertReasonIsUtf8(close);
			assertConnectionEndsWithNothingMore(socket);
		}
	}

	@Test
	void nothingIsEchoedAfterTheServersCloseFrame() throws Exception {
		try (RawWebSocket socket = connect()) {
			// All three frames in one write, so the server has the text after the close at once.
			socket.sendFrames(RawWebSocket.maskedFrame(true, Frame.TEXT, utf8("before the close")),
					RawWebSocket.maskedFrame(true, Frame.CLOSE, RawWebSocket.closePayload(NORMAL, new byte[0])),
					RawWebSocket.maskedFrame(true, Frame.TEXT, utf8("after the close")));
			assertThat(socket.readMessage()).satisfies(textMessage("before the close"));
			assertThat(socket.expectClose()).isEqualTo(NORMAL);
			assertConnectionEndsWithNothingMore(socket);
		}
	}

	@Test
	void nothingIsSentAfterTheCloseFrameThatFailsTheConnection() throws Exception {
		try (RawWebSocket socket = connect()) {
			socket.sendFrames(RawWebSocket.maskedFrame(true, Frame.TEXT, utf8("before the fault")),
					RawWebSocket.maskedFrame(true, Frame.CONTINUATION, utf8("no message to continue")),
					RawWebSocket.maskedFrame(true, Frame.TEXT, utf8("after the fault")),
					RawWebSocket.maskedFrame(true, Frame.PING, utf8("after the fault")));
			assertThat(socket.readMessage()).satisfies(textMessage("before the fault"));
			assertFailsWith(socket, PROTOCOL_ERROR);
		}
	}

	private RawWebSocket connect() throws IOException {
		RawWebSocket socket = RawWebSocket.connect(this.port, PATH, TIMEOUT);
		assertThat(socket.status()).as("handshake status").isEqualTo(101);
		return socket;
	}

	/**
	 * Sends one frame from another thread while this one reads the echo: the server echoes each part
	 * as it arrives, so a large message is on its way back before it is all sent, and neither side may
	 * wait for the other to finish.
	 */
	private Message sendAndReadEcho(RawWebSocket socket, int opcode, byte[] payload) throws Exception {
		Future<?> sent = this.sender.submit(() -> {
			socket.sendFrame(true, opcode, payload);
			return null;
		});
		Message echo = socket.readMessage();
		sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return echo;
	}

	private static Consumer<Message> textMessage(String text) {
		return (message) -> {
			assertThat(message.opcode()).as("%s", message).isEqualTo(Frame.TEXT);
			assertThat(message.text()).isEqualTo(text);
		};
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

}
