package dev.talktoserver.server.send;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinPool;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The send path on a container other than Tomcat (the Jetty build of bench/run.sh): each frame through
 * Spring's session, which blocks the sending thread until the client has taken it, and no pausing of
 * reads. It keeps the service working there; the promise that no thread waits for a client is Tomcat's
 * ({@code TomcatTransport}).
 */
final class BlockingTransport implements Transport {

	private final WebSocketSession session;

	BlockingTransport(WebSocketSession session) {
		this.session = session;
	}

	@Override
	public void send(Frame frame, SendHandler done) {
		try {
			this.session.sendMessage(message(frame));
			done.onResult(new SendResult((Session) null));
		}
		catch (IOException | RuntimeException ex) {
			done.onResult(new SendResult((Session) null, ex));
		}
	}

	private static WebSocketMessage<?> message(Frame frame) {
		return switch (frame.opCode()) {
			case Frame.TEXT -> new TextMessage(StandardCharsets.UTF_8.decode(frame.payload()), frame.last());
			case Frame.BINARY -> new BinaryMessage(frame.payload(), frame.last());
			default -> new PingMessage(frame.payload());
		};
	}

	@Override
	public void pauseReading() {
	}

	@Override
	public void resumeReading() {
	}

	@Override
	public void whileNotReading(Runnable task) {
		task.run();
	}

	@Override
	public void abort() {
	}

	@Override
	public boolean turnIsOver() {
		return false;
	}

	@Override
	public void later(Runnable task) {
		ForkJoinPool.commonPool().execute(task);
	}

}
