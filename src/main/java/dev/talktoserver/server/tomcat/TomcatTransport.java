package dev.talktoserver.server.tomcat;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantLock;

import dev.talktoserver.server.send.Frame;
import dev.talktoserver.server.send.Transport;
import jakarta.websocket.SendHandler;
import org.apache.tomcat.websocket.TomcatFrames;
import org.apache.tomcat.websocket.TomcatReadBuffers;
import org.apache.tomcat.websocket.TomcatUnmasking;
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

	private static final long TURN_NANOS = 500_000;

	private final WsSession session;

	private final WsRemoteEndpointImplBase writer;

	/** The worker threads of the connector the connection came in on, or, elsewhere, the common pool. */
	private final Executor pool;

	/** Tomcat's read buffers, or null on a Tomcat whose fields differ: they then stay as they are. */
	private final TomcatReadBuffers readBuffers;

	private TomcatTransport(WsSession session, WsRemoteEndpointImplBase writer, Executor pool) {
		this.session = session;
		this.writer = writer;
		this.pool = pool;
		this.readBuffers = TomcatReadBuffers.of(session);
	}

	@Override
	public long remainingInFrame() {
		return (this.readBuffers != null) ? this.readBuffers.remainingInFrame() : 0;
	}

	@Override
	public long growReadBuffers(int partUnits, int socketBytes) {
		return (this.readBuffers != null) ? this.readBuffers.grow(partUnits, socketBytes) : 0;
	}

	@Override
	public long shrinkReadBuffers() {
		return (this.readBuffers != null) ? this.readBuffers.shrink() : 0;
	}

	@Override
	public long shrinkQuietReadBuffers() {
		return (this.readBuffers != null) ? this.readBuffers.shrinkQuiet() : 0;
	}

	@Override
	public void send(Frame frame, SendHandler done) {
		TomcatFrames.send(this.writer, frame.opCode(), frame.payload(), frame.last(), done);
	}

	@Override
	public void pauseReading() {
		this.session.suspend();
	}

	@Override
	public void resumeReading() {
		this.session.resume();
	}

	/**
	 * Under the socket's lock, which the reading thread holds while it delivers: resumed while that
	 * thread is still on its way out after a pause, Tomcat would go on delivering (and the pause would be
	 * lost), or leave what it had read but not yet delivered unread until the client sent more.
	 */
	@Override
	public void whileNotReading(Runnable task) {
		ReentrantLock lock = TomcatFrames.socketLock(this.writer);
		lock.lock();
		try {
			task.run();
		}
		finally {
			lock.unlock();
		}
	}

	/** Never waits for the lock: the thread that holds it is reading, so the task is not due yet. */
	@Override
	public boolean ifNotReading(Runnable task) {
		ReentrantLock lock = TomcatFrames.socketLock(this.writer);
		if (!lock.tryLock()) {
			return false;
		}
		try {
			task.run();
			return true;
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void abort() {
		this.writer.close();
	}

	/**
	 * After half a millisecond: a connection whose client sends without pause then gets about 50 small
	 * messages per turn, and with a thousand such clients a request that arrives meanwhile waits about a
	 * thousand turns, shared by the cores: a quarter of a second on two (docs/performance.md).
	 */
	@Override
	public boolean turnIsOver() {
		return TomcatWorkerThreads.Workers.turnIsOver(TURN_NANOS);
	}

	@Override
	public void later(Runnable task) {
		this.pool.execute(task);
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
					// Before the first frame is read: the session is being opened.
					TomcatUnmasking.install(wsSession);
					// Made on the worker thread that completes the handshake: its pool is the connector's.
					Executor pool = TomcatWorkerThreads.Workers.poolOfThisThread();
					return new TomcatTransport(wsSession, writer, (pool != null) ? pool : ForkJoinPool.commonPool());
				}
			}
			return Transport.blocking(session);
		}

	}

}
