package dev.talktoserver.server;

import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.SendHandler;
import org.apache.tomcat.websocket.TomcatFrames;
import org.apache.tomcat.websocket.WsRemoteEndpointImplBase;
import org.apache.tomcat.websocket.WsSession;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Tomcat's session as the send path uses it: frames through {@link TomcatFrames} (asynchronous, any
 * kind, so no thread waits for a client to read), reading paused with {@link WsSession#suspend()} and
 * resumed with {@link WsSession#resume()}, as Spring WebFlux's Tomcat adapter does, and a connection
 * dropped by closing Tomcat's writer, which also fails the frame under way. {@link TomcatWorkerThreads}
 * runs each write's completion on the thread that finished the write.
 */
final class TomcatTransport implements Transport {

	private final WsSession session;

	private final WsRemoteEndpointImplBase writer;

	private TomcatTransport(WsSession session, WsRemoteEndpointImplBase writer) {
		this.session = session;
		this.writer = writer;
	}

	@Override
	public void send(Frame frame, SendHandler done) {
		TomcatFrames.send(this.writer, frame.opCode(), frame.payload(), frame.last(), done);
	}

	@Override
	public void pauseReading() {
		this.session.suspend();
	}

	/**
	 * Under the socket's lock: resumed while the reading thread is on its way out after a pause, Tomcat
	 * would leave what it had read but not yet delivered unread until the client sent more.
	 */
	@Override
	public void resumeReading() {
		ReentrantLock lock = TomcatFrames.socketLock(this.writer);
		lock.lock();
		try {
			this.session.resume();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void abort() {
		this.writer.close();
	}

	/** Tomcat's transport for Tomcat's sessions; for any other, the blocking one. */
	@Component
	@ConditionalOnClass(WsSession.class)
	static class Factory implements Transport.Factory {

		@Override
		public Transport of(WebSocketSession session) {
			if (session instanceof NativeWebSocketSession nativeSession
					&& nativeSession.getNativeSession() instanceof WsSession wsSession) {
				WsRemoteEndpointImplBase writer = TomcatFrames.writerOf(wsSession);
				if (writer != null) {
					return new TomcatTransport(wsSession, writer);
				}
			}
			return new BlockingTransport(session);
		}

	}

}
