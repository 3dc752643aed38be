package dev.talktoserver.observability;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one endpoint, registered once so that the message path only increments them and
 * never looks one up by name and tags.
 */
public final class EndpointMeters {

	private final MeterRegistry registry;

	private final String endpoint;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger compressed = new AtomicInteger();

	private final Counter opened;

	private final Counter received;

	private final Counter receivedBytes;

	private final DistributionSummary messageSize;

	private final Counter sent;

	private final Timer handlerTime;

	private final Counter readingPaused;

	EndpointMeters(MeterRegistry registry, String endpoint) {
		this.registry = registry;
		this.endpoint = endpoint;
		Gauge.builder("talk.sessions.active", this.active, AtomicInteger::get)
			.description("Open WebSocket sessions")
			.tag("endpoint", endpoint)
			.register(registry);
		Gauge.builder("talk.sessions.compressed", this.compressed, AtomicInteger::get)
			.description("Open WebSocket sessions that negotiated permessage-deflate")
			.tag("endpoint", endpoint)
			.register(registry);
		this.opened = Counter.builder("talk.sessions.opened")
			.description("WebSocket sessions opened")
			.tag("endpoint", endpoint)
			.register(registry);
		this.received = Counter.builder("talk.messages.received")
			.description("Whole messages received")
			.tag("endpoint", endpoint)
			.register(registry);
		this.receivedBytes = Counter.builder("talk.messages.received.bytes")
			.description("Bytes of message payload received")
			.baseUnit("bytes")
			.tag("endpoint", endpoint)
			.register(registry);
		this.messageSize = DistributionSummary.builder("talk.messages.size")
			.description("Size of the messages received")
			.baseUnit("bytes")
			.tag("endpoint", endpoint)
			.register(registry);
		this.sent = Counter.builder("talk.messages.sent")
			.description("Messages sent (replies and echoes; pings not counted)")
			.tag("endpoint", endpoint)
			.register(registry);
		this.handlerTime = Timer.builder("talk.handler.time")
			.description("Time the endpoint's handler takes per call: one per message, or per part of a message "
					+ "delivered in parts")
			.tag("endpoint", endpoint)
			.register(registry);
		this.readingPaused = Counter.builder("talk.backpressure.pauses")
			.description("Times the server stopped reading from a session until it read more of what it is sent")
			.tag("endpoint", endpoint)
			.register(registry);
	}

	public String endpoint() {
		return this.endpoint;
	}

	public void opened(boolean compressed) {
		this.active.incrementAndGet();
		if (compressed) {
			this.compressed.incrementAndGet();
		}
		this.opened.increment();
	}

	/** Counted by close code: 1000 normal, 1001 going away, 1006 dropped, 1008 policy, 1009 too big... */
	public void closed(int code, boolean compressed) {
		this.active.decrementAndGet();
		if (compressed) {
			this.compressed.decrementAndGet();
		}
		Counter.builder("talk.sessions.closed")
			.description("WebSocket sessions closed, by close code")
			.tag("endpoint", this.endpoint)
			.tag("code", String.valueOf(code))
			.register(this.registry)
			.increment();
	}

	public void received(long bytes) {
		this.received.increment();
		this.receivedBytes.increment(bytes);
		this.messageSize.record(bytes);
	}

	public void sent() {
		this.sent.increment();
	}

	public void readingPaused() {
		this.readingPaused.increment();
	}

	public void handled(long nanos) {
		this.handlerTime.record(nanos, TimeUnit.NANOSECONDS);
	}

}
