package dev.talktoserver.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The service's meters, all named {@code talk.*} and tagged by endpoint. Spring has no metrics for
 * plain WebSocket handlers; these are ours.
 */
@Component
public class TalkMetrics {

	private final MeterRegistry registry;

	private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

	public TalkMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** The meters of the endpoint at {@code path}, registered on first use. */
	public EndpointMeters endpoint(String path) {
		return this.endpoints.computeIfAbsent(path, (key) -> new EndpointMeters(this.registry, key));
	}

	/**
	 * The memory budget's gauges: its size, and what the connections hold of it now ({@code held}, read
	 * whenever the registry is scraped).
	 */
	public void memoryBudget(long budgetBytes, LongSupplier held) {
		Gauge.builder("talk.memory.budget", () -> budgetBytes)
			.description("Bytes the open connections may hold together (talk.memory-budget)")
			.baseUnit("bytes")
			.register(this.registry);
		Gauge.builder("talk.memory.held", () -> held.getAsLong())
			.description("Bytes the open connections hold together, as the memory budget counts them")
			.baseUnit("bytes")
			.register(this.registry);
	}

	/** What the read buffers grown for large messages hold together ({@code ReadBufferGrowth}). */
	public void readBuffersGrown(LongSupplier grown) {
		Gauge.builder("talk.read.buffers.grown", () -> grown.getAsLong())
			.description("Bytes the read buffers grown for large messages arriving hold, beyond those of idle connections")
			.baseUnit("bytes")
			.register(this.registry);
	}

	/**
	 * The send path's gauges of one endpoint, read whenever the registry is scraped: its sessions from
	 * which the server has stopped reading until they read more of what they are sent, and the bytes
	 * waiting to be sent to its sessions.
	 */
	public void sendQueues(String endpoint, IntSupplier heldBack, LongSupplier queuedBytes) {
		Gauge.builder("talk.sessions.held.back", () -> heldBack.getAsInt())
			.description("Open sessions from which nothing is read until they read more of what they are sent")
			.tag("endpoint", endpoint)
			.register(this.registry);
		Gauge.builder("talk.send.queued", () -> queuedBytes.getAsLong())
			.description("Bytes waiting to be sent to the open sessions, the frames under way included")
			.baseUnit("bytes")
			.tag("endpoint", endpoint)
			.register(this.registry);
	}

	/** One more episode in which the connections reached the memory budget. */
	public void memoryBudgetReached() {
		Counter.builder("talk.memory.budget.reached")
			.description("Times the open connections reached the memory budget (one per episode)")
			.register(this.registry)
			.increment();
	}

	/** One more fetch of the identity provider's signing keys, which succeeded or failed. */
	public void identityProviderKeysFetched(boolean succeeded) {
		Counter.builder("talk.auth.key.fetches")
			.description("Fetches of the identity provider's signing keys, by outcome")
			.tag("outcome", succeeded ? "success" : "failure")
			.register(this.registry)
			.increment();
	}

	public void handshakeRejected(String path, HandshakeRejection reason) {
		Counter.builder("talk.handshakes.rejected")
			.description("WebSocket handshakes turned away, by reason")
			.tag("endpoint", path)
			.tag("reason", reason.tag())
			.register(this.registry)
			.increment();
	}

}
