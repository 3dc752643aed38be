package dev.talktoserver.server.tomcat;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat's worker threads, made as Tomcat makes them (the same pool, queue, sizes and names), with one
 * difference: when a WebSocket frame's asynchronous write has finished, Tomcat hands the news to another
 * worker (a task per frame), and here the thread that finished the write hears it at once. For a client
 * that reads, that is nearly every frame: the hand-off cost more CPU than the write, and until the other
 * worker has run, Tomcat's frame writer stays locked, so that a close frame from the thread reading the
 * connection (the answer to a client's close, or a protocol error) sleeps 50 ms and, past
 * the send path's limit for control frames ({@code SessionTuning}, 50 ms), is never sent. At most a few completions run nested in
 * one another (a compressed frame is written in parts, each with its own completion); past that they are
 * handed off as before. Not where the executor is someone else's (virtual threads, an executor of the
 * user's). Such a completion runs under Tomcat's lock of the connection's writes, which the thread reading
 * the connection takes to write: what it does must not wait for the socket's lock, which that thread holds
 * ({@code Outbox} resumes reading in a task of its own).
 * <p>
 * Each worker also knows how long its task has run ({@link Workers#turnIsOver}): Tomcat's thread reading a
 * connection goes on for as long as the client has sent more, so that a client that sends without pause
 * would keep a worker to itself until its socket buffers fill (4 MB of replies, hundreds of thousands of
 * messages); the send path ends such a turn and puts the connection behind the others
 * ({@link TomcatTransport#turnIsOver()}).
 */
@Component
@ConditionalOnClass(Tomcat.class)
class TomcatWorkerThreads implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private static final Logger logger = LoggerFactory.getLogger(TomcatWorkerThreads.class);

	/** Tomcat's task for a finished WebSocket write; private to Tomcat, so known by name. */
	private static final String SEND_COMPLETION = "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable";

	/** Tomcat's own for idle workers above the minimum. */
	private static final long MAX_IDLE_SECONDS = 60;

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addConnectorCustomizers(
				(connector) -> connector.addLifecycleListener((event) -> onEvent(connector, event.getType())));
	}

	private static void onEvent(Connector connector, String type) {
		ProtocolHandler protocol = connector.getProtocolHandler();
		if (Lifecycle.BEFORE_START_EVENT.equals(type) && protocol.getExecutor() == null
				&& protocol instanceof AbstractProtocol<?> settings) {
			// At the connector's start, after every customizer has set the sizes.
			protocol.setExecutor(Workers.create(ObjectName.unquote(settings.getName()), settings));
		}
		else if (Lifecycle.AFTER_STOP_EVENT.equals(type) && protocol.getExecutor() instanceof Workers workers) {
			// Ours, not Tomcat's internal one: Tomcat leaves it to us to stop, as it stops its own.
			workers.shutdownNow();
			protocol.setExecutor(null);
		}
	}

	/** Tomcat's pool, running a finished write's completion on the thread that finished it. */
	static final class Workers extends ThreadPoolExecutor {

		private static final Class<?> sendCompletion = sendCompletionClass();

		/** Completions running nested on this thread. */
		private static final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

		/** A compressed frame of 64 KB is written in 128 parts of 512 bytes: those past this are handed off. */
		private static final int MAX_DEPTH = 16;

		/** The task this thread runs, and when it started it. */
		private static final ThreadLocal<Turn> turns = new ThreadLocal<>();

		private Workers(int minSpare, int max, TaskQueue queue, TaskThreadFactory threads) {
			super(minSpare, max, MAX_IDLE_SECONDS, TimeUnit.SECONDS, queue, threads);
		}

		static Workers create(String name, AbstractProtocol<?> settings) {
			TaskQueue queue = new TaskQueue(settings.getMaxQueueSize());
			TaskThreadFactory threads = new TaskThreadFactory(name + "-exec-", true, settings.getThreadPriority());
			Workers workers = new Workers(settings.getMinSpareThreads(), settings.getMaxThreads(), queue, threads);
			queue.setParent(workers);
			return workers;
		}

		@Override
		protected void beforeExecute(Thread thread, Runnable task) {
			Turn turn = turns.get();
			if (turn == null) {
				turn = new Turn(this);
				turns.set(turn);
			}
			turn.startNanos = System.nanoTime();
			super.beforeExecute(thread, task);
		}

		/**
		 * Whether the task this thread runs has run for {@code sliceNanos} or longer: false on any thread
		 * not of these pools.
		 */
		static boolean turnIsOver(long sliceNanos) {
			Turn turn = turns.get();
			return turn != null && System.nanoTime() - turn.startNanos >= sliceNanos;
		}

		/** The pool of this thread, or null on a thread not of these pools. */
		static Executor poolOfThisThread() {
			Turn turn = turns.get();
			return (turn != null) ? turn.pool : null;
		}

		@Override
		public void execute(Runnable command) {
			if (command.getClass() == sendCompletion) {
				int[] nested = depth.get();
				if (nested[0] < MAX_DEPTH) {
					nested[0]++;
					try {
						command.run();
					}
					finally {
						nested[0]--;
					}
					return;
				}
			}
			super.execute(command);
		}

		private static final class Turn {

			private final Workers pool;

			private long startNanos;

			Turn(Workers pool) {
				this.pool = pool;
			}

		}

		private static Class<?> sendCompletionClass() {
			try {
				return Class.forName(SEND_COMPLETION, false, Workers.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				logger.warn("Tomcat's WebSocket send completion ({}) is not there: each one is handed to another "
						+ "worker thread", SEND_COMPLETION);
				return Void.class;
			}
		}

	}

}
